using System.Numerics;
using Parquet;
using Parquet.Schema;

namespace Fairscope;

/// <summary>Reads a feature matrix from Parquet: either one list column of numbers (one list per row, all of one length)
/// or, without one, every flat numeric column except <c>id</c>, in schema order.</summary>
public static class ParquetFeatures
{
    /// <summary>The matrix in <paramref name="path"/>, one double[] per row.</summary>
    public static double[][] Read(string path)
    {
        if (!File.Exists(path)) throw new FairscopeException($"{path}: feature file not found");
        using var stream = File.OpenRead(path);
        var reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
        try
        {
            var numeric = reader.Schema.DataFields.Where(f => IsNumber(f.ClrType) && !string.Equals(f.Name, "id", StringComparison.OrdinalIgnoreCase)).ToList();
            var lists = numeric.Where(f => f.MaxRepetitionLevel > 0).ToList();
            if (lists.Count > 1) throw new FairscopeException($"{path}: {lists.Count} list columns ({string.Join(", ", lists.Select(f => f.Path))}); keep one list column of features");
            if (numeric.Count == 0) throw new FairscopeException($"{path}: no numeric columns; give one list<float> column or one numeric column per feature");
            var rows = new List<double[]>();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                if (lists.Count == 1) rows.AddRange(ReadLists(group, lists[0], path, rows.Count));
                else
                {
                    var columns = numeric.Select(f => ReadColumn(group, f, path, rows.Count)).ToArray();
                    for (var i = 0; i < group.RowCount; i++) rows.Add([.. columns.Select(c => c[i])]);
                }
            }
            if (rows.Count > 0 && rows.FirstOrDefault(r => r.Length != rows[0].Length) is { } ragged)
                throw new FairscopeException($"{path}: row {rows.IndexOf(ragged) + 1} has {ragged.Length} features, row 1 has {rows[0].Length}; every row needs the same number");
            return [.. rows];
        }
        finally { reader.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
    }

    private static bool IsNumber(Type t) => t == typeof(float) || t == typeof(double) || t == typeof(Half) || t == typeof(int) || t == typeof(long) || t == typeof(short);

    private static double[] ReadColumn(ParquetRowGroupReader group, DataField field, string path, int before) => field.ClrType switch
    {
        var t when t == typeof(float) => Flat<float>(group, field, path, before),
        var t when t == typeof(double) => Flat<double>(group, field, path, before),
        var t when t == typeof(Half) => Flat<Half>(group, field, path, before),
        var t when t == typeof(int) => Flat<int>(group, field, path, before),
        var t when t == typeof(long) => Flat<long>(group, field, path, before),
        _ => Flat<short>(group, field, path, before),
    };

    private static double[] Flat<T>(ParquetRowGroupReader group, DataField field, string path, int before) where T : struct, INumberBase<T>
    {
        var values = new T?[group.RowCount];
        group.ReadAsync<T>(field, values.AsMemory()).GetAwaiter().GetResult();
        return [.. values.Select((v, i) => v is { } x ? double.CreateChecked(x)
            : throw new FairscopeException($"{path}: row {before + i + 1}, column '{field.Name}' is null; features must all be present"))];
    }

    private static IEnumerable<double[]> ReadLists(ParquetRowGroupReader group, DataField field, string path, int before) => field.ClrType switch
    {
        var t when t == typeof(float) => Lists<float>(group, field, path, before),
        var t when t == typeof(double) => Lists<double>(group, field, path, before),
        var t when t == typeof(Half) => Lists<Half>(group, field, path, before),
        var t when t == typeof(int) => Lists<int>(group, field, path, before),
        var t when t == typeof(long) => Lists<long>(group, field, path, before),
        _ => Lists<short>(group, field, path, before),
    };

    // Raw levels, one entry per value slot: repetition level 0 starts a row, a definition level below the maximum is a
    // null or an empty list (the values buffer holds only the defined values).
    private static List<double[]> Lists<T>(ParquetRowGroupReader group, DataField field, string path, int before) where T : struct, INumberBase<T>
    {
        var count = checked((int)group.GetMetadata(field)!.MetaData!.NumValues);
        var values = new T[count];
        var definition = new int[count];
        var repetition = new int[count];
        group.ReadRawAsync<T>(field, values.AsMemory(), definition.AsMemory(), repetition.AsMemory()).GetAwaiter().GetResult();
        var rows = new List<double[]>();
        var current = new List<double>();
        for (int i = 0, v = 0; i < count; i++)
        {
            if (repetition[i] == 0 && i > 0) { rows.Add([.. current]); current.Clear(); }
            if (definition[i] < field.MaxDefinitionLevel)
                throw new FairscopeException($"{path}: row {before + rows.Count + 1}, column '{field.Path}' holds a null or an empty list; every row needs its features");
            current.Add(double.CreateChecked(values[v++]));
        }
        if (count > 0) rows.Add([.. current]);
        return rows;
    }
}
