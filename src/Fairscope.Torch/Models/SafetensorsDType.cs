namespace Fairscope;

/// <summary>The element types of the safetensors format (names as the file spells them). The floating-point types F64,
/// F32, F16 and BF16 load as float32 tensors; the others (integers, booleans, FP8) are recognised so a checkpoint
/// holding them can be read and copied, but their values are not converted.</summary>
public enum SafetensorsDType
{
    /// <summary>IEEE 754 binary32, 4 bytes.</summary>
    F32,

    /// <summary>IEEE 754 binary16, 2 bytes.</summary>
    F16,

    /// <summary>bfloat16 (the top 16 bits of a binary32), 2 bytes.</summary>
    BF16,

    /// <summary>IEEE 754 binary64, 8 bytes (feature matrices; narrowed to float32 when loaded as a tensor).</summary>
    F64,

    /// <summary>Signed 64-bit integer, 8 bytes (e.g. CLIP's <c>position_ids</c>).</summary>
    I64,

    /// <summary>Signed 32-bit integer, 4 bytes.</summary>
    I32,

    /// <summary>Signed 16-bit integer, 2 bytes.</summary>
    I16,

    /// <summary>Signed 8-bit integer, 1 byte.</summary>
    I8,

    /// <summary>Unsigned 8-bit integer, 1 byte.</summary>
    U8,

    /// <summary>Boolean, 1 byte.</summary>
    BOOL,

    /// <summary>Unsigned 16-bit integer, 2 bytes.</summary>
    U16,

    /// <summary>Unsigned 32-bit integer, 4 bytes.</summary>
    U32,

    /// <summary>Unsigned 64-bit integer, 8 bytes.</summary>
    U64,

    /// <summary>8-bit float with 4 exponent and 3 mantissa bits, 1 byte.</summary>
    F8_E4M3,

    /// <summary>8-bit float with 5 exponent and 2 mantissa bits, 1 byte.</summary>
    F8_E5M2,
}
