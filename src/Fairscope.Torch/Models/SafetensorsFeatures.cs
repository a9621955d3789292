namespace Fairscope;

/// <summary>Reads one tensor of a safetensors file as a rows × features matrix of doubles (F32, F16, BF16 or F64), for
/// <see cref="LinearProbe"/>: a tensor of 3 or more dimensions is flattened to (first axis, everything else).</summary>
public static class SafetensorsFeatures
{
    /// <summary>The tensor named <paramref name="tensor"/>, or the file's only tensor when null.</summary>
    public static double[][] Read(string path, string? tensor = null)
    {
        if (!File.Exists(path)) throw new FairscopeException($"{path}: feature file not found");
        using var stream = File.OpenRead(path);
        var header = SafetensorsHeader.Read(stream, path);
        var entry = tensor is null
            ? header.Tensors.Count == 1 ? header.Tensors[0]
                : throw new FairscopeException($"{path}: {header.Tensors.Count} tensors ({string.Join(", ", header.Names.Take(10))}); choose one with --tensor NAME")
            : header.Find(tensor) ?? throw new FairscopeException($"{path}: no tensor named '{tensor}'; the file has {string.Join(", ", header.Names.Take(10))}");
        if (entry.Shape.Count < 2)
            throw new FairscopeException($"{path}: tensor '{entry.Name}' has shape [{string.Join(", ", entry.Shape)}]; give (rows, features), e.g. features.reshape(len(features), -1)");
        if (!SafetensorsEntry.IsFloat(entry.DType))
            throw new FairscopeException($"{path}: tensor '{entry.Name}' is {entry.DType}; features must be F32, F16, BF16 or F64");
        var rows = checked((int)entry.Shape[0]);
        var columns = checked((int)entry.Shape.Skip(1).Aggregate(1L, (a, b) => a * b));
        var size = SafetensorsEntry.ElementSize(entry.DType);
        stream.Position = header.DataStart + entry.Begin;
        var buffer = new byte[columns * size];
        var matrix = new double[rows][];
        for (var r = 0; r < rows; r++)
        {
            stream.ReadExactly(buffer);
            var row = matrix[r] = new double[columns];
            for (var j = 0; j < columns; j++) row[j] = SafetensorsEntry.Read(entry.DType, buffer.AsSpan(j * size));
        }
        return matrix;
    }
}
