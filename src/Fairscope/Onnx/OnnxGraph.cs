using System.Runtime.InteropServices;

namespace Fairscope;

/// <summary>
/// Builds an ONNX graph in memory: inputs, constant tensors (initializers), nodes in topological order and outputs,
/// then <see cref="ToModel"/> serialises it (<see cref="OnnxModelWriter"/>) for ONNX Runtime's
/// <c>InferenceSession(byte[])</c>. Values are referred to by name; nodes whose output is not named get a unique one.
/// Operators are those of the default domain at <see cref="OnnxModelWriter.Opset"/> (https://onnx.ai/onnx/operators/).
/// </summary>
public sealed class OnnxGraph(string name)
{
    private readonly HashSet<string> _names = [];
    private int _next;

    /// <summary>The graph's name, written into the model.</summary>
    public string Name { get; } = name;

    internal List<OnnxValueInfo> Inputs { get; } = [];
    internal List<OnnxValueInfo> Outputs { get; } = [];
    internal List<OnnxInitializer> Initializers { get; } = [];
    internal List<OnnxNode> Nodes { get; } = [];

    /// <summary>Declares an input. A null dimension is symbolic (any size at run time, e.g. the batch).</summary>
    public string AddInput(string name, OnnxDataType type, params long?[] shape)
    {
        Inputs.Add(new OnnxValueInfo(Claim(name), type, shape));
        return name;
    }

    /// <summary>Declares the value <paramref name="name"/>, produced by a node, as an output of the model.</summary>
    public void AddOutput(string name, OnnxDataType type, params long?[] shape) => Outputs.Add(new OnnxValueInfo(name, type, shape));

    /// <summary>A constant float tensor, row-major; returns its name.</summary>
    public string AddInitializer(string name, ReadOnlySpan<float> values, params long[] shape) =>
        AddInitializer(name, OnnxDataType.Float, MemoryMarshal.AsBytes(values), values.Length, shape);

    /// <summary>A constant int64 tensor (shapes, axes), row-major; returns its name. (Named apart from the float overload so
    /// that a collection of integer literals cannot silently become an int64 tensor.)</summary>
    public string AddInt64Initializer(string name, ReadOnlySpan<long> values, params long[] shape) =>
        AddInitializer(name, OnnxDataType.Int64, MemoryMarshal.AsBytes(values), values.Length, shape);

    /// <summary>A float scalar constant with a generated name, for operators that take one as an input (Clip, Div).</summary>
    public string Scalar(float value) => AddInitializer(Fresh("const"), [value]);

    /// <summary>An int64 vector constant with a generated name (Reshape's shape, Slice's starts).</summary>
    public string Int64s(params long[] values) => AddInt64Initializer(Fresh("const"), values, values.Length);

    /// <summary>Appends a node with one output, named uniquely; returns that name.</summary>
    public string Add(string opType, string[] inputs, params OnnxAttribute[] attributes) =>
        AddNamed(Fresh(opType), opType, inputs, attributes);

    /// <summary>Appends a node whose one output is called <paramref name="output"/> (e.g. a model output's name).</summary>
    public string AddNamed(string output, string opType, string[] inputs, params OnnxAttribute[] attributes)
    {
        Nodes.Add(new OnnxNode(opType, inputs, [Claim(output)], attributes));
        return output;
    }

    /// <summary>The serialised model (ModelProto bytes) at the default opset.</summary>
    public byte[] ToModel() => OnnxModelWriter.Write(this);

    private string AddInitializer(string name, OnnxDataType type, ReadOnlySpan<byte> data, int count, long[] shape)
    {
        var expected = shape.Aggregate(1L, (a, d) => a * d);
        if (expected != count) throw new ArgumentException($"initializer '{name}': shape [{string.Join(",", shape)}] holds {expected} values, not {count}", nameof(shape));
        Initializers.Add(new OnnxInitializer(Claim(name), type, shape, data.ToArray()));
        return name;
    }

    private string Fresh(string prefix)
    {
        string candidate;
        do candidate = $"{prefix}_{_next++}"; while (_names.Contains(candidate));
        return candidate;
    }

    private string Claim(string name) =>
        _names.Add(name) ? name : throw new ArgumentException($"the graph already has a value called '{name}'", nameof(name));
}

internal sealed record OnnxValueInfo(string Name, OnnxDataType Type, IReadOnlyList<long?> Shape);

/// <summary>A constant tensor; <see cref="Data"/> is little-endian row-major (ONNX raw_data).</summary>
internal sealed record OnnxInitializer(string Name, OnnxDataType Type, IReadOnlyList<long> Shape, byte[] Data);

internal sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyList<OnnxAttribute> Attributes);
