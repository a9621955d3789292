using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Fairscope.Tests;

/// <summary>One tensor of a hand-built safetensors file: its dtype as the file spells it, shape and raw data.</summary>
internal sealed record RawTensor(string Name, string DType, long[] Shape, byte[] Data);

/// <summary>Writes safetensors files byte by byte, in any dtype and data order, as another writer might, for the
/// cross-attention tests.</summary>
internal static class CrossAttentionFiles
{
    /// <summary>Writes <paramref name="tensors"/> with their data in the order given and the header's entries in reverse
    /// order (the format does not tie one to the other).</summary>
    public static void Write(string path, IReadOnlyList<RawTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var entries = new Dictionary<string, object>();
        if (metadata is not null) entries["__metadata__"] = metadata;
        long offset = 0;
        var offsets = tensors.Select(t => { long begin = offset; offset += t.Data.Length; return (begin, offset); }).ToList();
        for (int i = tensors.Count - 1; i >= 0; i--)
            entries[tensors[i].Name] = new { dtype = tensors[i].DType, shape = tensors[i].Shape, data_offsets = new[] { offsets[i].begin, offsets[i].Item2 } };
        var header = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entries));
        using var stream = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var t in tensors) stream.Write(t.Data);
    }

    /// <summary>A float tensor of <paramref name="dtype"/> with seeded values in [−1, 1), rounded to the dtype.</summary>
    public static RawTensor Random(string name, SafetensorsDType dtype, long[] shape, Random random)
    {
        int size = SafetensorsEntry.ElementSize(dtype);
        var data = new byte[size * shape.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < data.Length / size; i++) SafetensorsEntry.Write(dtype, 2 * random.NextDouble() - 1, data.AsSpan(size * i));
        return new RawTensor(name, dtype.ToString(), shape, data);
    }

    /// <summary>Raw bytes of any dtype (integers, booleans, FP8), seeded.</summary>
    public static RawTensor Bytes(string name, string dtype, long[] shape, int elementSize, Random random)
    {
        var data = new byte[elementSize * shape.Aggregate(1L, (a, b) => a * b)];
        random.NextBytes(data);
        return new RawTensor(name, dtype, shape, data);
    }

    /// <summary>A zero-size (0 × <paramref name="width"/>) F16 tensor: a header-only stand-in for a projection.</summary>
    public static RawTensor Empty(string name, long width) => new(name, "F16", [0, width], []);
}
