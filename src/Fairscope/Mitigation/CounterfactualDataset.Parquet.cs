using System.Globalization;
using System.Reflection;
using Parquet;
using Parquet.Schema;

namespace Fairscope;

public static partial class CounterfactualDataset
{
    // Parquet rows, read one input row group at a time and written as one output row group per processed batch. Every
    // input column is carried with its type (flat columns only); the text fields must be string columns, and a null text
    // is a malformed row. The output has no resume checkpoint: a Parquet file cannot be continued after a cut.
    private sealed class ParquetRows(CounterfactualJob job, Stream output) : RowFormat
    {
        private const BindingFlags Helpers = BindingFlags.NonPublic | BindingFlags.Static;
        private readonly string[] _columns = Columns(job);
        private readonly List<(object?[] Values, IReadOnlyList<string> Texts, string[] Provenance)> _pending = [];
        private DataField[] _fields = [];
        private int[] _texts = [];
        private int _id = -1, _context = -1;
        private ParquetSchema? _schema;
        private ParquetWriter? _writer;

        public override IEnumerable<(long, object)> Read(Stream input, bool writeHeader)
        {
            var reader = Wait(ParquetReader.CreateAsync(input, leaveStreamOpen: true));
            try
            {
                Open(reader.Schema);
                long row = 0;
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    object?[][] columns;
                    using (var group = reader.OpenRowGroupReader(g))
                        columns = [.. _fields.Select(f => ReadColumn(group, f))];
                    var count = columns.Length == 0 ? 0 : columns[0].Length;
                    for (var i = 0; i < count; i++)
                        yield return (++row, columns.Select(c => c[i]).ToArray());
                }
            }
            finally { Wait(reader.DisposeAsync()); }
        }

        // Checks the named columns and builds the output schema: the input's columns (an earlier run's provenance
        // columns replaced), then the provenance columns.
        private void Open(ParquetSchema schema)
        {
            if (schema.Fields.FirstOrDefault(f => f is not DataField { IsArray: false }) is { } nested)
                throw new FairscopeException($"{job.Input}: column '{nested.Name}' is nested or repeated; only flat Parquet columns are supported");
            _fields = [.. schema.DataFields.Where(f => !_columns.Contains(f.Name))];
            int Column(string name) => Array.FindIndex(_fields, f => f.Name == name) is >= 0 and var i ? i
                : throw new FairscopeException($"{job.Input}: no column '{name}'; the columns are {string.Join(", ", _fields.Select(f => f.Name))}");
            _texts = [.. job.Fields.Select(Column)];
            foreach (var i in _texts.Where(i => !IsString(_fields[i])))
                throw new FairscopeException($"{job.Input}: column '{_fields[i].Name}' holds {_fields[i].ClrType.Name}, not strings; --field must name string columns");
            if (job.IdField is not null) _id = Column(job.IdField);
            if (job.ContextField is not null) _context = Column(job.ContextField);
            _schema = new ParquetSchema([.. _fields.Select(f => (Field)f.Clone()), .. _columns.Select(c => c == "cf_weight" ? new DataField<double>(c) : (Field)new DataField<string>(c))]);
        }

        public override bool TryParse(object record, out ParsedRow row, out string error)
        {
            var values = (object?[])record;
            (row, error) = (null!, "");
            var texts = new string[_texts.Length];
            for (var i = 0; i < texts.Length; i++)
                if (values[_texts[i]] is string text) texts[i] = text;
                else { error = $"field '{job.Fields[i]}' is null"; return false; }
            string? id = _id >= 0 ? Text(values[_id]) : null;
            if (job.IdField is not null && id is null) { error = $"id field '{job.IdField}' is null"; return false; }
            row = new ParsedRow(values, texts, id, _context >= 0 ? Text(values[_context]) : null);
            return true;
        }

        private static string? Text(object? value) => value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);

        public override void Write(ParsedRow row, IReadOnlyList<string> texts, string[] provenance) => _pending.Add(((object?[])row.State, texts, provenance));

        // The rows written since the last flush become one row group.
        public override void Flush()
        {
            if (_pending.Count == 0) return;
            _writer ??= Wait(ParquetWriter.CreateAsync(_schema!, output));
            using (var group = _writer.CreateRowGroup())
            {
                var fields = _schema!.DataFields;
                for (var c = 0; c < _fields.Length; c++)
                {
                    var text = Array.IndexOf(_texts, c);
                    WriteColumn(group, fields[c], [.. _pending.Select(r => text >= 0 ? r.Texts[text] : r.Values[c])]);
                }
                for (var p = 0; p < _columns.Length; p++)
                    if (_columns[p] == "cf_weight") Wait(group.WriteAsync<double>(fields[_fields.Length + p], _pending.Select(r => double.Parse(r.Provenance[p], CultureInfo.InvariantCulture)).ToArray()));
                    else Wait(group.WriteAsync(fields[_fields.Length + p], _pending.Select(r => r.Provenance[p]).ToArray()));
                group.CompleteValidate();
            }
            _pending.Clear();
        }

        public override void Complete()
        {
            Flush();
            _writer ??= Wait(ParquetWriter.CreateAsync(_schema!, output));
            Wait(_writer.DisposeAsync());
        }

        private static object?[] ReadColumn(ParquetRowGroupReader group, DataField field) =>
            (object?[])Typed(nameof(ReadStrings), nameof(ReadBytes), nameof(ReadValues), nameof(ReadNullables), field).Invoke(null, [group, field])!;

        private static void WriteColumn(ParquetRowGroupWriter group, DataField field, object?[] values) =>
            Typed(nameof(WriteStrings), nameof(WriteBytes), nameof(WriteValues), nameof(WriteNullables), field).Invoke(null, [group, field, values]);

        // The helper for the field's CLR type: strings, byte arrays, or value types with or without nulls.
        private static MethodInfo Typed(string strings, string bytes, string values, string nullables, DataField field)
        {
            if (IsString(field)) return typeof(ParquetRows).GetMethod(strings, Helpers)!;
            if (field.ClrType == typeof(byte[]) || field.ClrType == typeof(ReadOnlyMemory<byte>)) return typeof(ParquetRows).GetMethod(bytes, Helpers)!;
            return typeof(ParquetRows).GetMethod(field.IsNullable ? nullables : values, Helpers)!.MakeGenericMethod(field.ClrType);
        }

        // A schema built in code says string, one read from a file the characters' memory.
        private static bool IsString(DataField field) => field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>);

        private static object?[] ReadStrings(ParquetRowGroupReader group, DataField field)
        {
            var values = new string?[group.RowCount];
            Wait(group.ReadAsync(field, values.AsMemory()));
            return values;
        }

        private static object?[] ReadBytes(ParquetRowGroupReader group, DataField field)
        {
            var values = new byte[]?[group.RowCount];
            Wait(group.ReadAsync(field, values.AsMemory()));
            return values;
        }

        private static object?[] ReadValues<T>(ParquetRowGroupReader group, DataField field) where T : struct
        {
            var values = new T[group.RowCount];
            Wait(group.ReadAsync<T>(field, values.AsMemory()));
            return [.. values.Select(v => (object?)v)];
        }

        private static object?[] ReadNullables<T>(ParquetRowGroupReader group, DataField field) where T : struct
        {
            var values = new T?[group.RowCount];
            Wait(group.ReadAsync<T>(field, values.AsMemory()));
            return [.. values.Select(v => (object?)v)];
        }

        private static void WriteStrings(ParquetRowGroupWriter group, DataField field, object?[] values) =>
            Wait(group.WriteAsync(field, values.Cast<string>().ToArray()));

        private static void WriteBytes(ParquetRowGroupWriter group, DataField field, object?[] values) =>
            Wait(group.WriteAsync(field, values.Cast<byte[]>().ToArray()));

        private static void WriteValues<T>(ParquetRowGroupWriter group, DataField field, object?[] values) where T : struct =>
            Wait(group.WriteAsync<T>(field, values.Select(v => (T)v!).ToArray()));

        private static void WriteNullables<T>(ParquetRowGroupWriter group, DataField field, object?[] values) where T : struct =>
            Wait(group.WriteAsync<T>(field, values.Select(v => (T?)v).ToArray()));

        // The command runs synchronously on a thread without a synchronization context.
        private static void Wait(Task task) => task.GetAwaiter().GetResult();

        private static void Wait(ValueTask task) => task.AsTask().GetAwaiter().GetResult();

        private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();
    }
}
