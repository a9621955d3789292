namespace Fairscope;

/// <summary>Labels for <see cref="LinearProbe"/>: a CSV with a header, one row per feature row in the same order, one
/// column per attribute; an <c>id</c> column is ignored, and empty or "unknown" cells become null (unlabelled).</summary>
public static class ProbeLabels
{
    /// <summary>Attribute → one label per row (null where unlabelled), in column order; also the number of rows.</summary>
    public static (IReadOnlyDictionary<string, IReadOnlyList<string?>> Labels, int Rows) Read(string path)
    {
        if (!File.Exists(path)) throw new FairscopeException($"{path}: labels file not found");
        using var reader = File.OpenText(path);
        List<string>? header = null;
        var columns = new List<List<string?>>();
        foreach (var (line, fields) in Csv.Read(reader, path))
        {
            if (header is null)
            {
                header = [.. fields.Select(f => f.Trim())];
                if (header.FirstOrDefault(h => h.Length == 0) is not null) throw new FairscopeException($"{path}:{line}: a header cell is empty; name every column");
                if (header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
                    throw new FairscopeException($"{path}:{line}: column '{twice.Key}' appears twice in the header");
                columns = [.. header.Select(_ => new List<string?>())];
                continue;
            }
            if (fields.Count != header.Count)
                throw new FairscopeException($"{path}:{line}: {fields.Count} fields, but the header has {header.Count}; give every row a cell per column (empty for unlabelled)");
            for (var c = 0; c < fields.Count; c++) columns[c].Add(LocateLabels.IsUnlabelled(fields[c]) ? null : fields[c].Trim());
        }
        if (header is null) throw new FairscopeException($"{path}: empty; give a header row of attribute names, then one row per feature row");
        var labels = new Dictionary<string, IReadOnlyList<string?>>(StringComparer.Ordinal);
        for (var c = 0; c < header.Count; c++)
            if (!string.Equals(header[c], "id", StringComparison.OrdinalIgnoreCase)) labels[header[c]] = columns[c];
        if (labels.Count == 0) throw new FairscopeException($"{path}: no attribute columns besides 'id'; add one column per attribute (e.g. gender, race)");
        return (labels, columns[0].Count);
    }
}
