using System.Globalization;
using System.Text.Json;

namespace Fairscope;

/// <summary>
/// Replays outputs generated elsewhere: a JSONL file (<c>{"prompt_id": ..., "output": ..., "sample_index": ...}</c>
/// per line) or a CSV file with the same columns. <c>sample_index</c> is optional; without it a prompt's outputs
/// are numbered in file order. Every prompt id must belong to the suite.
/// </summary>
public sealed class ReplaySampleGenerator : ISampleGenerator
{
    private readonly string _path;
    private readonly Dictionary<string, Dictionary<int, string>> _outputs;

    private ReplaySampleGenerator(string path, Dictionary<string, Dictionary<int, string>> outputs)
    {
        _path = path;
        _outputs = outputs;
        using var file = File.OpenRead(path);
        ContentHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
    }

    /// <summary>SHA-256 of the file: part of the run's identity, so resuming from an edited file is refused.</summary>
    public string ContentHash { get; }

    /// <summary>One more than the highest sample index of any prompt: the natural --samples for this file.</summary>
    public int MaxSamplesPerPrompt => _outputs.Count == 0 ? 0 : _outputs.Values.Max(o => o.Keys.Max() + 1);

    /// <summary>Reads and validates the file against <paramref name="suite"/>.</summary>
    public static ReplaySampleGenerator Load(string path, Suite suite)
    {
        if (!File.Exists(path)) throw new FairscopeException($"replay file {path} does not exist");
        var known = suite.Prompts.Select(p => p.Id).ToHashSet();
        var outputs = new Dictionary<string, Dictionary<int, string>>();
        var rows = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ReadCsv(path) : ReadJsonLines(path);
        foreach (var (line, promptId, output, index) in rows)
        {
            if (!known.Contains(promptId))
                throw new FairscopeException($"{path}:{line}: prompt_id '{promptId}' is not in suite '{suite.Name}' (ids look like '{suite.Prompts[0].Id}')");
            var byIndex = outputs.TryGetValue(promptId, out var d) ? d : outputs[promptId] = [];
            var i = index ?? byIndex.Count;
            if (!byIndex.TryAdd(i, output))
                throw new FairscopeException($"{path}:{line}: prompt '{promptId}' already has an output with sample_index {i}");
        }
        if (outputs.Count == 0) throw new FairscopeException($"replay file {path} holds no outputs");
        return new ReplaySampleGenerator(path, outputs);
    }

    private static IEnumerable<(long Line, string PromptId, string Output, int? Index)> ReadJsonLines(string path)
    {
        long line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            JsonElement row;
            try { row = JsonDocument.Parse(text).RootElement; }
            catch (JsonException e) { throw new FairscopeException($"{path}:{line}: not valid JSON ({e.Message.Split('.')[0]}); each line must be one JSON object"); }
            if (row.ValueKind != JsonValueKind.Object) throw new FairscopeException($"{path}:{line}: each line must be a JSON object");
            yield return (line, Text(row, "prompt_id", path, line), Text(row, "output", path, line), Index(row, path, line));
        }
    }

    private static string Text(JsonElement row, string field, string path, long line) =>
        row.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
            ? s : throw new FairscopeException($"{path}:{line}: field '{field}' is missing or not a non-empty string");

    private static int? Index(JsonElement row, string path, long line) =>
        !row.TryGetProperty("sample_index", out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) && i >= 0 ? i
        : throw new FairscopeException($"{path}:{line}: sample_index must be a whole number ≥ 0");

    private static IEnumerable<(long Line, string PromptId, string Output, int? Index)> ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        using var records = Csv.Read(reader, path).GetEnumerator();
        if (!records.MoveNext()) throw new FairscopeException($"{path}:1: the CSV needs a header row with prompt_id and output");
        var header = records.Current.Fields;
        int Column(string name) => header.IndexOf(name);
        foreach (var column in new[] { "prompt_id", "output" })
            if (Column(column) < 0) throw new FairscopeException($"{path}:1: the CSV header lacks column '{column}' (has: {string.Join(", ", header)})");
        var (promptColumn, outputColumn, indexColumn) = (Column("prompt_id"), Column("output"), Column("sample_index"));
        while (records.MoveNext())
        {
            var (line, fields) = records.Current;
            if (fields.Count != header.Count)
                throw new FairscopeException($"{path}:{line}: {fields.Count} fields where the header has {header.Count}; quote fields that contain commas");
            var (promptId, output) = (fields[promptColumn], fields[outputColumn]);
            if (promptId.Length == 0 || output.Length == 0) throw new FairscopeException($"{path}:{line}: prompt_id and output must not be empty");
            int? index = null;
            if (indexColumn >= 0 && fields[indexColumn] is { Length: > 0 } raw)
                index = int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i
                    : throw new FairscopeException($"{path}:{line}: sample_index '{raw}' must be a whole number ≥ 0");
            yield return (line, promptId, output, index);
        }
    }

    /// <inheritdoc />
    public ValueTask<GeneratedSample> GenerateAsync(SampleRequest request, CancellationToken cancellationToken) =>
        _outputs.TryGetValue(request.Prompt.Id, out var byIndex) && byIndex.TryGetValue(request.SampleIndex, out var output)
            ? ValueTask.FromResult(new GeneratedSample(output, "replay"))
            : throw new InvalidDataException($"{_path} has no output for prompt '{request.Prompt.Id}' sample {request.SampleIndex}");

    /// <inheritdoc />
    public void Dispose() { }
}
