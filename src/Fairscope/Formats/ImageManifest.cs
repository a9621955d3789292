namespace Fairscope;

/// <summary>
/// A CSV that lists image files, paths relative to the CSV, in a <c>file</c> column beside other columns: the form of
/// replayed images (<c>prompt_id,sample_index,file</c>) and of labelled reference sets (<c>file</c> plus one column per
/// attribute). Errors name the file and line.
/// </summary>
public sealed class ImageManifest
{
    private ImageManifest(IReadOnlyList<string> header, IReadOnlyList<ImageManifestRow> rows) => (Header, Rows) = (header, rows);

    /// <summary>The column names.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>The rows, each with its existing image file.</summary>
    public IReadOnlyList<ImageManifestRow> Rows { get; }

    /// <summary>Reads <paramref name="csv"/>, which must have a <c>file</c> column and every column in <paramref name="required"/>.</summary>
    public static ImageManifest Read(string csv, params string[] required)
    {
        List<(long Line, List<string> Fields)> records;
        try
        {
            using var reader = new StreamReader(csv);
            records = [.. Csv.Read(reader, csv)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FairscopeException($"{csv}: cannot read the manifest ({e.Message})");
        }
        string[] columns = [.. required, "file"];
        if (records.Count == 0) throw new FairscopeException($"{csv}:1: the manifest needs a header row with {string.Join(", ", columns)}");
        var header = records[0].Fields;
        foreach (var column in columns)
            if (!header.Contains(column)) throw new FairscopeException($"{csv}:1: the manifest header lacks column '{column}' (has: {string.Join(", ", header)})");
        var folder = Path.GetDirectoryName(Path.GetFullPath(csv))!;
        var rows = new List<ImageManifestRow>();
        foreach (var (line, fields) in records.Skip(1))
        {
            var where = $"{csv}:{line}";
            if (fields.Count != header.Count)
                throw new FairscopeException($"{where}: {fields.Count} fields where the header has {header.Count}; quote fields that contain commas");
            var values = header.Select((name, i) => (name, value: fields[i])).ToDictionary(x => x.name, x => x.value);
            var file = values["file"];
            if (file.Length == 0) throw new FairscopeException($"{where}: file must not be empty");
            var full = Path.GetFullPath(Path.Combine(folder, file));
            if (!File.Exists(full)) throw new FairscopeException($"{where}: file '{file}' does not exist ({full})");
            rows.Add(new ImageManifestRow(where, full, values));
        }
        return new ImageManifest(header, rows);
    }
}

/// <summary>One row of an <see cref="ImageManifest"/>: where it is (<c>file:line</c>), its image's full path, and its fields by column.</summary>
public sealed record ImageManifestRow(string Where, string File, IReadOnlyDictionary<string, string> Fields);
