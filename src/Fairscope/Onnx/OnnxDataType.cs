namespace Fairscope;

/// <summary>Element types of ONNX tensors (the values of <c>TensorProto.DataType</c> in onnx.proto) that
/// <see cref="OnnxGraph"/> writes.</summary>
public enum OnnxDataType
{
    /// <summary>32-bit IEEE float.</summary>
    Float = 1,

    /// <summary>Unsigned byte.</summary>
    UInt8 = 2,

    /// <summary>32-bit signed integer.</summary>
    Int32 = 6,

    /// <summary>64-bit signed integer: shapes, axes and indices (Reshape, Slice) must be of this type.</summary>
    Int64 = 7,
}
