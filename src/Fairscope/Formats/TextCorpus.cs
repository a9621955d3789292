using System.Text.Json;

namespace Fairscope;

/// <summary>A data set of texts read from JSONL (one JSON object a line) or CSV (a header row), one field of each record.</summary>
public static class TextCorpus
{
    /// <summary>The <paramref name="field"/> of every record of <paramref name="path"/> (<c>.csv</c> as CSV, <c>.jsonl</c> or
    /// <c>.ndjson</c> as one JSON object per line); errors name the file and line.</summary>
    public static IReadOnlyList<string> Read(string path, string field)
    {
        if (!File.Exists(path)) throw new FairscopeException($"{path} does not exist");
        var texts = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => ReadCsv(path, field),
            ".jsonl" or ".ndjson" => ReadJsonLines(path, field),
            var other => throw new FairscopeException($"{path}: unknown data format '{other}'; use .jsonl, .ndjson or .csv"),
        };
        return texts.Count > 0 ? texts : throw new FairscopeException($"{path}:1: holds no records; give one JSON object (or CSV row) per text");
    }

    private static List<string> ReadJsonLines(string path, string field)
    {
        var texts = new List<string>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            try
            {
                using var json = JsonDocument.Parse(text);
                texts.Add(json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String
                    ? v.GetString()!
                    : throw new FairscopeException($"{path}:{line}: no string field '{field}'; name the text field with --field"));
            }
            catch (JsonException e)
            {
                throw new FairscopeException($"{path}:{line}: not valid JSON ({e.Message.Split('\n')[0]}); write one JSON object per line");
            }
        }
        return texts;
    }

    private static List<string> ReadCsv(string path, string field)
    {
        using var reader = new StreamReader(path);
        var texts = new List<string>();
        var column = -1;
        foreach (var (line, fields) in Csv.Read(reader, path))
        {
            if (column < 0)
            {
                column = fields.IndexOf(field);
                if (column < 0) throw new FairscopeException($"{path}:{line}: no column '{field}' in the header ({string.Join(", ", fields)}); name the text column with --field");
                continue;
            }
            texts.Add(column < fields.Count ? fields[column] : throw new FairscopeException($"{path}:{line}: the row has {fields.Count} fields, the header {column + 1} or more"));
        }
        return texts;
    }
}
