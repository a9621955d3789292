using Microsoft.ML.OnnxRuntime;

namespace Fairscope.Tests;

/// <summary><see cref="OnnxGraph"/> and <see cref="OnnxModelWriter"/>: models written here load in ONNX Runtime and
/// compute what their operators specify.</summary>
public sealed class OnnxModelWriterTests
{
    internal static float[] Run(byte[] model, string input, float[] values, long[] shape, string output)
    {
        using var session = new InferenceSession(model);
        using var value = OrtValue.CreateTensorValueFromMemory(values, shape);
        using var outputs = OnnxSessions.Run(session, input, value, [output]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    [Fact]
    public void Every_attribute_kind_initializer_type_and_a_symbolic_batch_reach_onnx_runtime()
    {
        // y = softmax(leaky_relu(x·W + b, α = 0.5)) per row, then reshaped to [N·3] with an int64 initializer.
        var graph = new OnnxGraph("tiny");
        var x = graph.AddInput("x", OnnxDataType.Float, null, 2);
        var w = graph.AddInitializer("w", [1f, -1f, 0f, 2f, 0f, 1f], 2, 3);
        var logits = graph.Add("Add", [graph.Add("MatMul", [x, w]), graph.AddInitializer("b", [0f, 0f, -1f], 3)]);
        var leaky = graph.Add("LeakyRelu", [logits], OnnxAttribute.Float("alpha", 0.5f));
        var softmax = graph.Add("Softmax", [leaky], OnnxAttribute.Int("axis", -1));
        graph.AddNamed("y", "Reshape", [softmax, graph.Int64s(-1)]);
        graph.AddOutput("y", OnnxDataType.Float, [null]);
        var model = graph.ToModel();

        using (var session = new InferenceSession(model))
        {
            Assert.Equal([-1, 2], session.InputMetadata["x"].Dimensions);
            Assert.Equal("Fairscope", session.ModelMetadata.ProducerName);
        }
        var y = Run(model, "x", [1f, 1f, 2f, -1f], [2, 2], "y");

        // Row (1, 1): logits (3, −1, 0) → leaky (3, −0.5, 0). Row (2, −1): (0, −2, −2) → (0, −1, −1).
        float[][] expected = [Softmax(3, -0.5f, 0), Softmax(0, -1, -1)];
        Assert.Equal(6, y.Length);
        for (int i = 0; i < 6; i++) Assert.Equal(expected[i / 3][i % 3], y[i], 1e-6f);
    }

    [Fact]
    public void Ints_and_string_attributes_configure_a_conv()
    {
        // 1×1×3×3 input, 2×2 ones kernel, stride 2, SAME_UPPER: output 2×2; the bottom/right cells see the padding.
        var graph = new OnnxGraph("conv");
        var x = graph.AddInput("x", OnnxDataType.Float, 1, 1, 3, 3);
        graph.AddNamed("y", "Conv", [x, graph.AddInitializer("k", [1f, 1f, 1f, 1f], 1, 1, 2, 2)],
            OnnxAttribute.String("auto_pad", "SAME_UPPER"), OnnxAttribute.Ints("kernel_shape", 2, 2), OnnxAttribute.Ints("strides", 2, 2));
        graph.AddOutput("y", OnnxDataType.Float, 1, 1, 2, 2);
        var y = Run(graph.ToModel(), "x", [1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3], "y");
        Assert.Equal([1 + 2 + 4 + 5, 3 + 6, 7 + 8, 9], y);
    }

    [Fact]
    public void Names_are_unique_and_initializer_shapes_must_hold_their_values()
    {
        var graph = new OnnxGraph("g");
        graph.AddInput("x", OnnxDataType.Float, 1);
        Assert.Throws<ArgumentException>(() => graph.AddInitializer("x", [1f], 1));
        Assert.Throws<ArgumentException>(() => graph.AddInitializer("w", [1f, 2f], 3));
        Assert.NotEqual(graph.Scalar(1), graph.Scalar(1));
    }

    private static float[] Softmax(params float[] v)
    {
        var e = v.Select(x => MathF.Exp(x - v.Max())).ToArray();
        return [.. e.Select(x => x / e.Sum())];
    }
}
