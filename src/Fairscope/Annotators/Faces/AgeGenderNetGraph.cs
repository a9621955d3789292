namespace Fairscope;

/// <summary>
/// face-api's AgeGenderNet (src/ageGenderNet, src/xception/TinyXception.ts with two main blocks) as an ONNX graph from
/// its TF.js weights. Input <c>faces</c> [N, 3, 112, 112], already normalised to (x − mean RGB)/255; outputs
/// <c>age</c> [N, 1] (years, a regression) and <c>gender</c> [N, 2] (softmax: p(male), p(female)).
/// </summary>
internal static class AgeGenderNetGraph
{
    private const int MainBlocks = 2;

    public static byte[] Build(TfjsWeights weights)
    {
        var graph = new OnnxGraph("age_gender");
        var tf = new TfLayers(graph, weights);
        var x = graph.AddInput("faces", OnnxDataType.Float, null, 3, 112, 112);

        // TinyXception.forwardInput: 112 → 56 (conv_in) → 28 → 14 (entry reductions) → 14 (main blocks) → 7 (exit).
        var features = tf.Relu(tf.Conv(x, "entry_flow/conv_in/filters", "entry_flow/conv_in/bias", 3, 32, 3, 2));
        features = ReductionBlock(tf, features, "entry_flow/reduction_block_0", 32, 64, activateInput: false);
        features = ReductionBlock(tf, features, "entry_flow/reduction_block_1", 64, 128, activateInput: true);
        for (int i = 0; i < MainBlocks; i++)
        {
            var prefix = $"middle_flow/main_block_{i}";
            var main = tf.SeparableConv(tf.Relu(features), $"{prefix}/separable_conv0", 128, 128);
            main = tf.SeparableConv(tf.Relu(main), $"{prefix}/separable_conv1", 128, 128);
            main = tf.SeparableConv(tf.Relu(main), $"{prefix}/separable_conv2", 128, 128);
            features = tf.Add(main, features);
        }
        features = ReductionBlock(tf, features, "exit_flow/reduction_block", 128, 256, activateInput: true);
        features = tf.Relu(tf.SeparableConv(features, "exit_flow/separable_conv", 256, 512));

        // AgeGenderNet.runNet: avgPool 7×7 stride 2 'valid' (7×7 → 1×1), then the two fully connected heads.
        var pooled = graph.Add("AveragePool", [features], OnnxAttribute.Ints("kernel_shape", 7, 7), OnnxAttribute.Ints("strides", 2, 2));
        pooled = graph.Add("Reshape", [pooled, graph.Int64s(0, -1)]);
        graph.AddNamed("age", "Add", [graph.Add("MatMul", [pooled, Matrix(graph, weights, "fc/age/weights", 1)]), tf.Vector("fc/age/bias", 1)]);
        var gender = graph.Add("Add", [graph.Add("MatMul", [pooled, Matrix(graph, weights, "fc/gender/weights", 2)]), tf.Vector("fc/gender/bias", 2)]);
        graph.AddNamed("gender", "Softmax", [gender], OnnxAttribute.Int("axis", -1));
        graph.AddOutput("age", OnnxDataType.Float, null, 1);
        graph.AddOutput("gender", OnnxDataType.Float, null, 2);
        return graph.ToModel();
    }

    /// <summary>TinyXception's reductionBlock: two separable convs, 3×3/2 max pool, plus a strided 1×1 conv of the block's input.</summary>
    private static string ReductionBlock(TfLayers tf, string x, string prefix, int cin, int cout, bool activateInput)
    {
        var output = tf.SeparableConv(activateInput ? tf.Relu(x) : x, $"{prefix}/separable_conv0", cin, cout);
        output = tf.SeparableConv(tf.Relu(output), $"{prefix}/separable_conv1", cout, cout);
        output = tf.MaxPoolSame(output, 3, 2);
        return tf.Add(output, tf.Conv(x, $"{prefix}/expansion_conv/filters", $"{prefix}/expansion_conv/bias", cin, cout, 1, 2));
    }

    private static string Matrix(OnnxGraph graph, TfjsWeights weights, string name, int columns) =>
        graph.AddInitializer(name, weights.Get(name, 512, columns).Values, 512, columns);
}
