namespace Fairscope;

/// <summary>Element types of a safetensors file that Fairscope reads; all load as float32 tensors.</summary>
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
}
