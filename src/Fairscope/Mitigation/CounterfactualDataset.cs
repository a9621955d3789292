using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Fairscope;

/// <summary>
/// Streams a JSONL, CSV or Parquet data set through a <see cref="CounterfactualAugmenter"/> in bounded memory: each row is
/// written as read (unless variants only) followed by its variants, with provenance columns <c>cf_source_id</c>,
/// <c>cf_concepts</c> and <c>cf_swap</c>. Output goes to <c>OUT.partial</c>; every <see cref="CounterfactualJob.CheckpointEvery"/>
/// rows (and on cancellation) <c>OUT.partial.checkpoint.json</c> records the rows read, the bytes written and the
/// report so far, and a rerun with the same input and options truncates the partial file to those bytes and continues
/// after those rows, producing the same bytes as an uninterrupted run (Parquet runs start over instead). On success the
/// partial file becomes OUT.
/// Malformed rows (invalid JSON, a missing or non-text field, a wrong field count, a null Parquet text) are reported by
/// file:line (Parquet: file:row) and skipped, or stop the run when strict; a CSV quoting error stops the run, as the
/// rest cannot be split into rows.
/// </summary>
public static partial class CounterfactualDataset
{
    private const string Stage = "counterfactual (KiB read)";
    private const int BatchSize = 2048;
    private static readonly string[] Provenance = ["cf_source_id", "cf_concepts", "cf_swap"];
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Runs <paramref name="job"/>, resuming a checkpoint of the same job; returns the report of the whole file.</summary>
    public static CounterfactualReport Run(CounterfactualJob job, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var format = FormatOf(job.Input);
        if (FormatOf(job.Output) != format)
            throw new FairscopeException($"the output {job.Output} must have the input's format ({format}); name it with the same extension as {job.Input}");
        if (!File.Exists(job.Input)) throw new FairscopeException($"input file {job.Input} does not exist");
        if (job.Fields.Count == 0) throw new FairscopeException("name at least one text field to rewrite with --field");
        if (job.AntiStereotype is not null && job.ContextField is null)
            throw new FairscopeException("anti-stereotype weights need --context-field, the field naming each row's context (e.g. occupation)");
        var partial = job.Output + ".partial";
        var checkpointPath = partial + ".checkpoint.json";
        var fingerprint = Fingerprint(job);
        var resumable = format != "parquet";
        var resume = resumable && File.Exists(partial) && File.Exists(checkpointPath) ? ReadCheckpoint(checkpointPath, partial) : null;
        if (resume is not null && resume.Fingerprint != fingerprint)
            throw new FairscopeException($"{partial} was started from another input or with other options; rerun with the same ones to resume, or delete {partial} and {checkpointPath} to start over");

        var report = resume?.Report ?? new CounterfactualReport();
        using (var input = new FileStream(job.Input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        using (var output = new FileStream(partial, resume is null ? FileMode.Create : FileMode.Open, FileAccess.Write, FileShare.Read, 1 << 16))
        {
            output.SetLength(resume?.Bytes ?? 0);
            output.Seek(0, SeekOrigin.End);
            RowFormat rows = format switch { "csv" => new CsvRows(job, output), "parquet" => new ParquetRows(job, output), _ => new JsonlRows(job, output) };
            long records = 0, saved = 0;
            var kib = (int)Math.Min(int.MaxValue, input.Length / 1024);
            void Save()
            {
                rows.Flush();
                output.Flush();
                if (resumable)
                {
                    var temporary = checkpointPath + ".tmp";
                    File.WriteAllText(temporary, JsonSerializer.Serialize(new Checkpoint(fingerprint, records, output.Position, report)));
                    File.Move(temporary, checkpointPath, overwrite: true);
                }
                saved = records;
                progress?.Report(new RunProgress(Stage, (int)Math.Min(kib, input.Position / 1024), kib, (int)report.Malformed));
            }
            var batch = new List<(long Line, object Record)>(BatchSize);
            void Flush()
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    Save();
                    cancellationToken.ThrowIfCancellationRequested();
                }
                Process(job, rows, batch, records, report);
                rows.Flush();
                records += batch.Count;
                batch.Clear();
                if (records - saved >= job.CheckpointEvery) Save();
                else progress?.Report(new RunProgress(Stage, (int)Math.Min(kib, input.Position / 1024), kib, (int)report.Malformed));
            }
            var skip = resume?.Records ?? 0;
            foreach (var record in rows.Read(input, writeHeader: resume is null))
            {
                if (records < skip) { records++; continue; }
                batch.Add(record);
                if (batch.Count == Math.Min(BatchSize, job.CheckpointEvery)) Flush();
            }
            if (batch.Count > 0) Flush();
            rows.Complete();
            progress?.Report(new RunProgress(Stage, kib, kib, (int)report.Malformed));
        }
        File.Move(partial, job.Output, overwrite: true);
        File.Delete(checkpointPath);
        return report;
    }

    /// <summary>Writes <paramref name="report"/> as indented JSON.</summary>
    public static void WriteReport(CounterfactualReport report, string path) => File.WriteAllText(path, JsonSerializer.Serialize(report, JsonOptions));

    // Parses and rewrites a batch of rows on every core (row i's draws depend only on the seed and i), then writes and
    // counts them in order, so the output and report do not depend on the number of cores.
    private static void Process(CounterfactualJob job, RowFormat rows, List<(long Line, object Record)> batch, long first, CounterfactualReport report)
    {
        var results = new (ParsedRow? Row, string Error, IReadOnlyList<CounterfactualVariant> Variants, IReadOnlyDictionary<string, string> Groups)[batch.Count];
        var gate = new Lock();
        Parallel.For(0, batch.Count, () => new CounterfactualReport(), (i, _, counts) =>
        {
            if (!rows.TryParse(batch[i].Record, out var row, out var error))
            {
                results[i] = (null, error, [], new Dictionary<string, string>());
                return counts;
            }
            var index = first + i;
            var random = new Random(unchecked((int)((uint)job.Seed * 2654435761u ^ (ulong)index * 0x9E3779B97F4A7C15UL >> 32)));
            var variants = job.Augmenter.Variants(row.Texts, random, counts, out var groups);
            results[i] = (row, "", variants, groups);
            return counts;
        }, counts => { lock (gate) report.Add(counts); });

        for (var i = 0; i < batch.Count; i++)
        {
            report.Rows++;
            var (row, error, variants, groups) = results[i];
            if (row is null)
            {
                var where = $"{job.Input}:{batch[i].Line.ToString(CultureInfo.InvariantCulture)}: {error}";
                if (job.Strict) throw new FairscopeException($"{where}; fix or remove the row, or run without --strict to skip and count it");
                report.AddMalformed(where);
                continue;
            }
            var id = row.Id ?? (first + i + 1).ToString(CultureInfo.InvariantCulture);
            string? Weight(IReadOnlyDictionary<string, string> presented) =>
                job.AntiStereotype?.Weight(row.Context, presented).ToString("R", CultureInfo.InvariantCulture);
            if (!job.VariantsOnly) rows.Write(row, row.Texts, [id, "", "", .. Extra(Weight(groups))]);
            foreach (var v in variants)
                rows.Write(row, v.Texts, [id, string.Join(',', v.Concepts), v.Swap, .. Extra(Weight(v.Groups))]);
            (row.State as IDisposable)?.Dispose();
        }
    }

    private static string[] Extra(string? weight) => weight is null ? [] : [weight];

    private static string FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".jsonl" or ".ndjson" => "jsonl",
        ".csv" => "csv",
        ".parquet" => "parquet",
        var other => throw new FairscopeException($"{path}: unknown data format '{other}'; use .jsonl, .ndjson, .csv or .parquet"),
    };

    // The input file's identity and every option that shapes the output.
    private static string Fingerprint(CounterfactualJob job)
    {
        var file = new FileInfo(job.Input);
        // The version too: shipped lexicons and rules may differ between versions, and one file must not mix them.
        var identity = string.Join('\n', FairscopeInfo.Version, Path.GetFullPath(job.Input), file.Length, file.LastWriteTimeUtc.Ticks, string.Join(',', job.Fields), job.IdField,
            job.Seed, job.Strict, job.VariantsOnly, job.AntiStereotype is not null, job.ContextField, job.Options);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16];
    }

    private sealed record Checkpoint(string Fingerprint, long Records, long Bytes, CounterfactualReport Report);

    private static Checkpoint ReadCheckpoint(string path, string partial)
    {
        try { return JsonSerializer.Deserialize<Checkpoint>(File.ReadAllText(path)) ?? throw new JsonException("empty"); }
        catch (JsonException e)
        {
            throw new FairscopeException($"{path}: the checkpoint is damaged or from another version ({e.Message.Split('.')[0]}); delete it and {partial} to start over");
        }
    }

    // A row as its format holds it (a JSON document, disposed once written; CSV fields; Parquet values), its texts, id and context.
    private sealed record ParsedRow(object State, string[] Texts, string? Id, string? Context);

    // Reads records of one format and writes rows of it to the output stream.
    private abstract class RowFormat
    {
        /// <summary>The records of <paramref name="input"/> with their line (or row) numbers.</summary>
        public abstract IEnumerable<(long Line, object Record)> Read(Stream input, bool writeHeader);

        public abstract bool TryParse(object record, out ParsedRow row, out string error);

        public abstract void Write(ParsedRow row, IReadOnlyList<string> texts, string[] provenance);

        /// <summary>Hands everything written so far to the output stream.</summary>
        public abstract void Flush();

        /// <summary>Flushes and ends the output (a Parquet footer).</summary>
        public virtual void Complete() => Flush();

        protected static string[] Columns(CounterfactualJob job) => job.AntiStereotype is null ? Provenance : [.. Provenance, "cf_weight"];
    }

    private sealed class JsonlRows(CounterfactualJob job, Stream output) : RowFormat
    {
        // Keeps non-ASCII text readable ("é", not "\u00e9"); the output is a data file, never embedded in HTML.
        private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        private readonly string[] _columns = Columns(job);
        private readonly ArrayBufferWriter<byte> _buffer = new();
        private Utf8JsonWriter? _json;

        public override IEnumerable<(long, object)> Read(Stream input, bool writeHeader)
        {
            using var reader = new StreamReader(input, Encoding.UTF8, true, 1 << 16, leaveOpen: true);
            long line = 0;
            while (reader.ReadLine() is { } text)
            {
                line++;
                if (!string.IsNullOrWhiteSpace(text)) yield return (line, text); // blank lines hold no row
            }
        }

        public override bool TryParse(object record, out ParsedRow row, out string error)
        {
            (row, error) = (null!, "");
            JsonDocument document;
            try { document = JsonDocument.Parse((string)record); }
            catch (JsonException e) { error = $"not valid JSON ({e.Message.Split('.')[0]})"; return false; }
            var json = document.RootElement;
            if (json.ValueKind != JsonValueKind.Object) error = "not a JSON object";
            var texts = new string[job.Fields.Count];
            for (var i = 0; i < texts.Length && error.Length == 0; i++)
                if (json.TryGetProperty(job.Fields[i], out var v) && v.ValueKind == JsonValueKind.String) texts[i] = v.GetString()!;
                else error = $"field '{job.Fields[i]}' is missing or not text";
            string? id = null;
            if (error.Length == 0 && job.IdField is not null && (id = Text(json, job.IdField)) is null) error = $"id field '{job.IdField}' is missing";
            if (error.Length > 0)
            {
                document.Dispose();
                return false;
            }
            row = new ParsedRow(document, texts, id, job.ContextField is null ? null : Text(json, job.ContextField));
            return true;
        }

        private static string? Text(JsonElement row, string field) => !row.TryGetProperty(field, out var v) ? null : v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
            _ => null,
        };

        // Every property as read (values written back unchanged), the rewritten fields, the provenance columns last.
        public override void Write(ParsedRow row, IReadOnlyList<string> texts, string[] provenance)
        {
            _buffer.ResetWrittenCount();
            var json = _json ??= new Utf8JsonWriter(_buffer, WriterOptions);
            json.Reset(_buffer);
            json.WriteStartObject();
            foreach (var property in ((JsonDocument)row.State).RootElement.EnumerateObject())
            {
                var field = IndexOf(job.Fields, property);
                if (field >= 0) json.WriteString(job.Fields[field], texts[field]);
                else if (IndexOf(_columns, property) < 0) property.WriteTo(json); // provenance of an earlier run is replaced
            }
            for (var i = 0; i < provenance.Length; i++)
                if (_columns[i] == "cf_weight") json.WriteNumber(_columns[i], double.Parse(provenance[i], CultureInfo.InvariantCulture));
                else json.WriteString(_columns[i], provenance[i]);
            json.WriteEndObject();
            json.Flush();
            output.Write(_buffer.WrittenSpan);
            output.WriteByte((byte)'\n');
        }

        public override void Flush() { } // writes go straight to the (buffered) output stream

        private static int IndexOf(IReadOnlyList<string> names, JsonProperty property)
        {
            for (var i = 0; i < names.Count; i++)
                if (property.NameEquals(names[i])) return i;
            return -1;
        }
    }

    private sealed class CsvRows(CounterfactualJob job, Stream output) : RowFormat
    {
        private readonly StreamWriter _writer = new(output, new UTF8Encoding(false), 1 << 16);
        private int[] _fields = [], _kept = [];
        private int _id = -1, _context = -1, _width;

        public override IEnumerable<(long, object)> Read(Stream input, bool writeHeader)
        {
            using var reader = new StreamReader(input, Encoding.UTF8, true, 1 << 16, leaveOpen: true);
            var header = true;
            foreach (var (line, fields) in Csv.Read(reader, job.Input))
            {
                if (!header) { yield return (line, fields); continue; }
                header = false;
                int Column(string name) => fields.IndexOf(name) is >= 0 and var i ? i
                    : throw new FairscopeException($"{job.Input}:{line}: no column '{name}'; the columns are {string.Join(", ", fields)}");
                _fields = [.. job.Fields.Select(Column)];
                if (job.IdField is not null) _id = Column(job.IdField);
                if (job.ContextField is not null) _context = Column(job.ContextField);
                _width = fields.Count;
                // An earlier run's provenance columns are replaced, as for JSONL, not repeated.
                _kept = [.. Enumerable.Range(0, fields.Count).Where(i => !Columns(job).Contains(fields[i]))];
                if (writeHeader) Csv.WriteRecord(_writer, [.. _kept.Select(i => fields[i]), .. Columns(job)]);
            }
        }

        public override bool TryParse(object record, out ParsedRow row, out string error)
        {
            var fields = (List<string>)record;
            (row, error) = (null!, "");
            if (fields.Count != _width) { error = $"has {fields.Count} fields, the header has {_width}"; return false; }
            row = new ParsedRow(fields, [.. _fields.Select(i => fields[i])], _id >= 0 ? fields[_id] : null, _context >= 0 ? fields[_context] : null);
            return true;
        }

        public override void Write(ParsedRow row, IReadOnlyList<string> texts, string[] provenance)
        {
            var fields = ((List<string>)row.State).ToArray();
            for (var i = 0; i < texts.Count; i++) fields[_fields[i]] = texts[i];
            Csv.WriteRecord(_writer, [.. _kept.Select(i => fields[i]), .. provenance]);
        }

        public override void Flush() => _writer.Flush();
    }
}
