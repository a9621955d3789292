namespace Fairscope;

/// <summary>
/// A node attribute (onnx.proto <c>AttributeProto</c>): a name with one int, float, string, or list of ints or
/// floats, e.g. <c>OnnxAttribute.Ints("strides", 2, 2)</c> for a Conv.
/// </summary>
public sealed record OnnxAttribute
{
    private OnnxAttribute(string name, AttributeKind kind) => (Name, Kind) = (name, kind);

    /// <summary>The attribute's name in the operator's specification.</summary>
    public string Name { get; }

    internal AttributeKind Kind { get; }
    internal long IntValue { get; private init; }
    internal float FloatValue { get; private init; }
    internal string? StringValue { get; private init; }
    internal IReadOnlyList<long> IntValues { get; private init; } = [];
    internal IReadOnlyList<float> FloatValues { get; private init; } = [];

    /// <summary>An INT attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, AttributeKind.Int) { IntValue = value };

    /// <summary>A FLOAT attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, AttributeKind.Float) { FloatValue = value };

    /// <summary>A STRING attribute (UTF-8).</summary>
    public static OnnxAttribute String(string name, string value) => new(name, AttributeKind.String) { StringValue = value };

    /// <summary>An INTS attribute.</summary>
    public static OnnxAttribute Ints(string name, params long[] values) => new(name, AttributeKind.Ints) { IntValues = values };

    /// <summary>A FLOATS attribute.</summary>
    public static OnnxAttribute Floats(string name, params float[] values) => new(name, AttributeKind.Floats) { FloatValues = values };

    /// <summary>onnx.proto's <c>AttributeProto.AttributeType</c> values for the kinds written here.</summary>
    internal enum AttributeKind
    {
        Float = 1,
        Int = 2,
        String = 3,
        Floats = 6,
        Ints = 7,
    }
}
