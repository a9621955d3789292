using System.Buffers.Binary;

namespace Fairscope;

/// <summary>One tensor as a safetensors header describes it. <see cref="Begin"/> and <see cref="End"/> are byte
/// offsets into the data section, which starts right after the header.</summary>
public sealed record SafetensorsEntry(string Name, SafetensorsDType DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>Number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (n, d) => checked(n * d));

    /// <summary>The shape as <c>[a, b]</c>, for messages.</summary>
    public string ShapeText => $"[{string.Join(", ", Shape)}]";

    /// <summary>Bytes per element of <paramref name="dtype"/>.</summary>
    public static int ElementSize(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 or SafetensorsDType.I64 or SafetensorsDType.U64 => 8,
        SafetensorsDType.F32 or SafetensorsDType.I32 or SafetensorsDType.U32 => 4,
        SafetensorsDType.F16 or SafetensorsDType.BF16 or SafetensorsDType.I16 or SafetensorsDType.U16 => 2,
        SafetensorsDType.I8 or SafetensorsDType.U8 or SafetensorsDType.BOOL or SafetensorsDType.F8_E4M3 or SafetensorsDType.F8_E5M2 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>Whether <see cref="Read"/> and <see cref="Write"/> convert elements of <paramref name="dtype"/>: F64,
    /// F32, F16 and BF16. Integer, boolean and FP8 data is only copied as bytes.</summary>
    public static bool IsFloat(SafetensorsDType dtype) =>
        dtype is SafetensorsDType.F64 or SafetensorsDType.F32 or SafetensorsDType.F16 or SafetensorsDType.BF16;

    /// <summary>The element of type <paramref name="dtype"/> (one of <see cref="IsFloat"/>) at the start of
    /// <paramref name="bytes"/> (little-endian).</summary>
    public static double Read(SafetensorsDType dtype, ReadOnlySpan<byte> bytes) => dtype switch
    {
        SafetensorsDType.F32 => BinaryPrimitives.ReadSingleLittleEndian(bytes),
        SafetensorsDType.F16 => (double)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(bytes)),
        // bfloat16 is the top half of a binary32.
        SafetensorsDType.BF16 => BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(bytes) << 16),
        SafetensorsDType.F64 => BinaryPrimitives.ReadDoubleLittleEndian(bytes),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>Stores <paramref name="value"/> as an element of type <paramref name="dtype"/> (one of
    /// <see cref="IsFloat"/>) at the start of <paramref name="bytes"/> (little-endian), rounded to the nearest
    /// representable value, ties to even, as one rounding from the double (no double rounding through float32).</summary>
    public static void Write(SafetensorsDType dtype, double value, Span<byte> bytes)
    {
        switch (dtype)
        {
            case SafetensorsDType.F32: BinaryPrimitives.WriteSingleLittleEndian(bytes, (float)value); break;
            case SafetensorsDType.F16: BinaryPrimitives.WriteUInt16LittleEndian(bytes, BitConverter.HalfToUInt16Bits((Half)value)); break;
            case SafetensorsDType.BF16: BinaryPrimitives.WriteUInt16LittleEndian(bytes, ToBFloat16(value)); break;
            case SafetensorsDType.F64: BinaryPrimitives.WriteDoubleLittleEndian(bytes, value); break;
            default: throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null);
        }
    }

    // Rounds to bfloat16 in two steps without double rounding: first to float32 rounding to odd (truncate towards zero,
    // then set the last bit if anything was lost), which keeps enough information for the second step, float32 to
    // bfloat16 to nearest even, to round as if directly from the double (float32 carries 16 more mantissa bits).
    private static ushort ToBFloat16(double value)
    {
        if (double.IsNaN(value)) return 0x7FC0;
        float single = (float)value;
        uint bits = BitConverter.SingleToUInt32Bits(single);
        if (float.IsFinite(single))
        {
            double back = single;
            if (Math.Abs(back) > Math.Abs(value)) bits--; // one step towards zero: the truncation
            if (back != value) bits |= 1; // inexact: round to odd
        }
        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }
}
