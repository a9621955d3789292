using System.Buffers.Binary;

namespace Fairscope;

/// <summary>One tensor as a safetensors header describes it. <see cref="Begin"/> and <see cref="End"/> are byte
/// offsets into the data section, which starts right after the header.</summary>
public sealed record SafetensorsEntry(string Name, SafetensorsDType DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>Number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (n, d) => checked(n * d));

    /// <summary>Bytes per element of <paramref name="dtype"/>.</summary>
    public static int ElementSize(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F32 => 4,
        SafetensorsDType.F16 or SafetensorsDType.BF16 => 2,
        SafetensorsDType.F64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>The element of type <paramref name="dtype"/> at the start of <paramref name="bytes"/> (little-endian).</summary>
    public static double Read(SafetensorsDType dtype, ReadOnlySpan<byte> bytes) => dtype switch
    {
        SafetensorsDType.F32 => BinaryPrimitives.ReadSingleLittleEndian(bytes),
        SafetensorsDType.F16 => (double)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(bytes)),
        // bfloat16 is the top half of a binary32.
        SafetensorsDType.BF16 => BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(bytes) << 16),
        SafetensorsDType.F64 => BinaryPrimitives.ReadDoubleLittleEndian(bytes),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };
}
