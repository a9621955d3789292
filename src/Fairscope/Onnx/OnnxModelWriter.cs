using Google.Protobuf;

namespace Fairscope;

/// <summary>
/// Serialises an <see cref="OnnxGraph"/> as an ONNX ModelProto with Google.Protobuf's <see cref="CodedOutputStream"/>,
/// writing the messages of onnx.proto by field number (ModelProto, GraphProto, NodeProto, TensorProto with raw_data,
/// ValueInfoProto, AttributeProto), so no generated code or .proto file is needed. IR version 8, opset 17 of the
/// default domain. Repeated scalars are written unpacked, which every protobuf parser accepts for proto2's onnx.proto.
/// </summary>
public static class OnnxModelWriter
{
    /// <summary>The default-domain operator set the models are written for.</summary>
    public const int Opset = 17;

    /// <summary>ONNX IR version 8 (the one that goes with opset 17).</summary>
    public const int IrVersion = 8;

    /// <summary>The ModelProto bytes of <paramref name="graph"/>.</summary>
    public static byte[] Write(OnnxGraph graph) => Message(model =>
    {
        model.WriteTag(1, WireFormat.WireType.Varint); model.WriteInt64(IrVersion);          // ir_version
        WriteString(model, 2, "Fairscope");                                                   // producer_name
        WriteString(model, 3, FairscopeInfo.Version);                                         // producer_version
        WriteMessage(model, 7, Graph(graph));                                                 // graph
        WriteMessage(model, 8, Message(opset =>                                               // opset_import
        {
            WriteString(opset, 1, "");                                                        //   domain (default)
            opset.WriteTag(2, WireFormat.WireType.Varint); opset.WriteInt64(Opset);           //   version
        }));
    });

    private static byte[] Graph(OnnxGraph graph) => Message(g =>
    {
        foreach (var node in graph.Nodes) WriteMessage(g, 1, Node(node));                    // node
        WriteString(g, 2, graph.Name);                                                        // name
        foreach (var tensor in graph.Initializers) WriteMessage(g, 5, Tensor(tensor));       // initializer
        foreach (var input in graph.Inputs) WriteMessage(g, 11, ValueInfo(input));           // input
        foreach (var output in graph.Outputs) WriteMessage(g, 12, ValueInfo(output));        // output
    });

    private static byte[] Node(OnnxNode node) => Message(n =>
    {
        foreach (var input in node.Inputs) WriteString(n, 1, input);                         // input
        foreach (var output in node.Outputs) WriteString(n, 2, output);                      // output
        WriteString(n, 3, node.Outputs[0]);                                                   // name
        WriteString(n, 4, node.OpType);                                                       // op_type
        foreach (var attribute in node.Attributes) WriteMessage(n, 5, Attribute(attribute)); // attribute
    });

    private static byte[] Attribute(OnnxAttribute attribute) => Message(a =>
    {
        WriteString(a, 1, attribute.Name);                                                    // name
        a.WriteTag(20, WireFormat.WireType.Varint); a.WriteInt32((int)attribute.Kind);        // type
        switch (attribute.Kind)
        {
            case OnnxAttribute.AttributeKind.Float: a.WriteTag(2, WireFormat.WireType.Fixed32); a.WriteFloat(attribute.FloatValue); break;
            case OnnxAttribute.AttributeKind.Int: a.WriteTag(3, WireFormat.WireType.Varint); a.WriteInt64(attribute.IntValue); break;
            case OnnxAttribute.AttributeKind.String: a.WriteTag(4, WireFormat.WireType.LengthDelimited); a.WriteBytes(ByteString.CopyFromUtf8(attribute.StringValue)); break;
            case OnnxAttribute.AttributeKind.Floats:
                foreach (var f in attribute.FloatValues) { a.WriteTag(7, WireFormat.WireType.Fixed32); a.WriteFloat(f); }
                break;
            case OnnxAttribute.AttributeKind.Ints:
                foreach (var i in attribute.IntValues) { a.WriteTag(8, WireFormat.WireType.Varint); a.WriteInt64(i); }
                break;
        }
    });

    private static byte[] Tensor(OnnxInitializer tensor) => Message(t =>
    {
        foreach (var d in tensor.Shape) { t.WriteTag(1, WireFormat.WireType.Varint); t.WriteInt64(d); } // dims
        t.WriteTag(2, WireFormat.WireType.Varint); t.WriteInt32((int)tensor.Type);                       // data_type
        WriteString(t, 8, tensor.Name);                                                                    // name
        t.WriteTag(9, WireFormat.WireType.LengthDelimited); t.WriteBytes(UnsafeByteOperations.UnsafeWrap(tensor.Data)); // raw_data
    });

    private static byte[] ValueInfo(OnnxValueInfo value) => Message(v =>
    {
        WriteString(v, 1, value.Name);                                                        // name
        WriteMessage(v, 2, Message(type =>                                                    // type: TypeProto
            WriteMessage(type, 1, Message(tensor =>                                           //   tensor_type
            {
                tensor.WriteTag(1, WireFormat.WireType.Varint); tensor.WriteInt32((int)value.Type); // elem_type
                WriteMessage(tensor, 2, Message(shape =>                                      //   shape
                {
                    for (int axis = 0; axis < value.Shape.Count; axis++)
                        WriteMessage(shape, 1, Message(dim =>                                 //     dim
                        {
                            if (value.Shape[axis] is { } size) { dim.WriteTag(1, WireFormat.WireType.Varint); dim.WriteInt64(size); } // dim_value
                            else WriteString(dim, 2, $"{value.Name}_{axis}");                 //     dim_param
                        }));
                }));
            }))));
    });

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true)) write(output);
        return buffer.ToArray();
    }

    private static void WriteMessage(CodedOutputStream output, int field, byte[] message)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(message));
    }

    private static void WriteString(CodedOutputStream output, int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }
}
