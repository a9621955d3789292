using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Fairscope;

/// <summary>
/// Reads a NumPy <c>.npy</c> file (format versions 1–3: magic, version, header length, then a Python dict literal with
/// <c>descr</c>, <c>fortran_order</c> and <c>shape</c>) as a rows × features matrix of doubles. Little-endian
/// <c>&lt;f2</c>, <c>&lt;f4</c>, <c>&lt;f8</c>, <c>&lt;i4</c> and <c>&lt;i8</c> in C order; an array of 3 or more
/// dimensions is flattened to (first axis, everything else).
/// </summary>
public static partial class NpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The array at <paramref name="path"/>, one double[] per row.</summary>
    public static double[][] Read(string path)
    {
        if (!File.Exists(path)) throw new FairscopeException($"{path}: feature file not found");
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var prefix = reader.ReadBytes(8);
        if (prefix.Length < 8 || !prefix.AsSpan(0, 6).SequenceEqual(Magic))
            throw Invalid(path, "it does not start with the NumPy magic string; save it with numpy.save");
        int headerLength = prefix[6] switch
        {
            1 => reader.ReadUInt16(),
            2 or 3 => checked((int)reader.ReadUInt32()),
            var v => throw Invalid(path, $"format version {v}.{prefix[7]} is unknown (1, 2 and 3 are read)"),
        };
        var header = (prefix[6] == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(reader.ReadBytes(headerLength));
        var descr = Field(DescrPattern(), header, path, "descr");
        if (Field(FortranPattern(), header, path, "fortran_order") == "True")
            throw Invalid(path, "it is in Fortran order; save numpy.ascontiguousarray(features) instead");
        var shape = Field(ShapePattern(), header, path, "shape").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        if (descr.Length > 0 && descr[0] == '>')
            throw Invalid(path, $"dtype '{descr}' is big-endian; convert with features.astype('<f4')");
        var size = descr switch
        {
            "<f2" => 2, "<f4" or "<i4" => 4, "<f8" or "<i8" => 8,
            _ => throw Invalid(path, $"dtype '{descr}' is not supported; use float16, float32, float64, int32 or int64 (features.astype('<f4'))"),
        };
        if (shape.Length < 2)
            throw Invalid(path, $"shape ({string.Join(", ", shape)}) has {shape.Length} dimension(s); give (rows, features), e.g. features.reshape(len(features), -1)");
        var rows = checked((int)shape[0]);
        var columns = checked((int)shape.Skip(1).Aggregate(1L, (a, b) => a * b));
        var expected = (long)rows * columns * size;
        if (stream.Length - stream.Position < expected)
            throw Invalid(path, $"shape ({string.Join(", ", shape)}) of '{descr}' needs {expected} data bytes but only {stream.Length - stream.Position} follow the header; the file is truncated");

        var buffer = new byte[columns * size];
        var matrix = new double[rows][];
        for (var r = 0; r < rows; r++)
        {
            reader.BaseStream.ReadExactly(buffer);
            var row = matrix[r] = new double[columns];
            for (var j = 0; j < columns; j++)
            {
                var bytes = buffer.AsSpan(j * size, size);
                row[j] = descr switch
                {
                    "<f2" => (double)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(bytes)),
                    "<f4" => BinaryPrimitives.ReadSingleLittleEndian(bytes),
                    "<f8" => BinaryPrimitives.ReadDoubleLittleEndian(bytes),
                    "<i4" => BinaryPrimitives.ReadInt32LittleEndian(bytes),
                    _ => BinaryPrimitives.ReadInt64LittleEndian(bytes),
                };
            }
        }
        return matrix;
    }

    private static string Field(Regex pattern, string header, string path, string name) =>
        pattern.Match(header) is { Success: true } m ? m.Groups[1].Value : throw Invalid(path, $"its header has no readable '{name}' ({header.Trim()})");

    private static FairscopeException Invalid(string path, string what) => new($"{path}: not a readable .npy feature matrix: {what}");

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
