namespace Fairscope;

/// <summary>One named weight of a TF.js model, dequantised to float, in TensorFlow's layout (row-major; conv filters
/// [kh, kw, in, out], depthwise filters [kh, kw, channels, 1]).</summary>
public sealed record TfjsTensor(string Name, IReadOnlyList<int> Shape, float[] Values)
{
    /// <summary>The shape as TF.js prints it, e.g. <c>[3,3,32,1]</c>.</summary>
    public string ShapeText => $"[{string.Join(",", Shape)}]";
}
