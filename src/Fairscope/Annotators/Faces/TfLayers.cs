namespace Fairscope;

/// <summary>
/// TensorFlow layer semantics as ONNX nodes, for networks whose weights come from TF.js: activations stay NCHW in the
/// graph (ONNX's Conv layout), filters are transposed from TF's [kh, kw, in, out] to [out, in, kh, kw] (depthwise
/// [kh, kw, C, 1] to [C, 1, kh, kw] with group = C), and TF's 'same' padding is ONNX's <c>SAME_UPPER</c>: output
/// ceil(in / stride), the odd pixel of padding at the bottom/right. Weight shapes are checked against the manifest.
/// </summary>
internal sealed class TfLayers(OnnxGraph graph, TfjsWeights weights)
{
    public OnnxGraph Graph => graph;

    /// <summary>tf.conv2d(x, filters, stride, 'same') plus an optional bias (tf.add), as one ONNX Conv.</summary>
    public string Conv(string x, string filters, string? bias, int channelsIn, int channelsOut, int kernel, int stride)
    {
        var tf = weights.Get(filters, kernel, kernel, channelsIn, channelsOut).Values;
        var w = new float[tf.Length];
        for (int y = 0; y < kernel; y++)
            for (int xk = 0; xk < kernel; xk++)
                for (int i = 0; i < channelsIn; i++)
                    for (int o = 0; o < channelsOut; o++)
                        w[((o * channelsIn + i) * kernel + y) * kernel + xk] = tf[((y * kernel + xk) * channelsIn + i) * channelsOut + o];
        string[] inputs = bias is null
            ? [x, graph.AddInitializer(filters, w, channelsOut, channelsIn, kernel, kernel)]
            : [x, graph.AddInitializer(filters, w, channelsOut, channelsIn, kernel, kernel), Vector(bias, channelsOut)];
        return graph.Add("Conv", inputs, Same(kernel, stride));
    }

    /// <summary>tf.depthwiseConv2d(x, filters, stride, 'same') with channel multiplier 1: a grouped Conv, group = channels.</summary>
    public string Depthwise(string x, string filters, int channels, int kernel, int stride)
    {
        var tf = weights.Get(filters, kernel, kernel, channels, 1).Values;
        var w = new float[tf.Length];
        for (int y = 0; y < kernel; y++)
            for (int xk = 0; xk < kernel; xk++)
                for (int c = 0; c < channels; c++)
                    w[(c * kernel + y) * kernel + xk] = tf[(y * kernel + xk) * channels + c];
        return graph.Add("Conv", [x, graph.AddInitializer(filters, w, channels, 1, kernel, kernel)],
            [.. Same(kernel, stride), OnnxAttribute.Int("group", channels)]);
    }

    /// <summary>face-api's depthwiseSeparableConv: tf.separableConv2d (3×3 depthwise then 1×1 pointwise, 'same') plus
    /// bias, from <c>{prefix}/depthwise_filter</c>, <c>pointwise_filter</c> and <c>bias</c>.</summary>
    public string SeparableConv(string x, string prefix, int channelsIn, int channelsOut)
    {
        var depthwise = Depthwise(x, $"{prefix}/depthwise_filter", channelsIn, 3, 1);
        return Conv(depthwise, $"{prefix}/pointwise_filter", $"{prefix}/bias", channelsIn, channelsOut, 1, 1);
    }

    /// <summary>tf.batchNorm(x, mean, variance, offset, scale, epsilon): (x − mean)·scale/√(variance + ε) + offset.</summary>
    public string BatchNorm(string x, string scale, string offset, string mean, string variance, int channels, float epsilon) =>
        graph.Add("BatchNormalization", [x, Vector(scale, channels), Vector(offset, channels), Vector(mean, channels), Vector(variance, channels)],
            OnnxAttribute.Float("epsilon", epsilon));

    /// <summary>tf.clipByValue(x, 0, 6).</summary>
    public string Relu6(string x) => graph.Add("Clip", [x, graph.Scalar(0), graph.Scalar(6)]);

    /// <summary>tf.relu(x).</summary>
    public string Relu(string x) => graph.Add("Relu", [x]);

    /// <summary>tf.add(a, b) of two tensors of one shape.</summary>
    public string Add(string a, string b) => graph.Add("Add", [a, b]);

    /// <summary>tf.maxPool(x, kernel, stride, 'same'): padded cells never win.</summary>
    public string MaxPoolSame(string x, int kernel, int stride) => graph.Add("MaxPool", [x], Same(kernel, stride));

    /// <summary>The 1-D weight <paramref name="name"/> of <paramref name="size"/> values as an initializer.</summary>
    public string Vector(string name, int size) => graph.AddInitializer(name, weights.Get(name, size).Values, size);

    private static OnnxAttribute[] Same(int kernel, int stride) =>
    [
        OnnxAttribute.String("auto_pad", "SAME_UPPER"),
        OnnxAttribute.Ints("kernel_shape", kernel, kernel),
        OnnxAttribute.Ints("strides", stride, stride),
    ];
}
