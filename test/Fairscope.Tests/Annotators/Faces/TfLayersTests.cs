namespace Fairscope.Tests;

/// <summary><see cref="TfLayers"/> against direct implementations of TensorFlow's ops: filter layout conversion and
/// 'same' padding (the odd pixel at the bottom/right) for convolutions, depthwise convolutions and max pooling.</summary>
public sealed class TfLayersTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fairscope-tflayers-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(5, 6, 3, 2)] // stride 2: rows padded 1 above and 1 below, columns 0 left and 1 right
    [InlineData(4, 4, 2, 1)] // even kernel: one padding pixel, all at the bottom/right
    [InlineData(7, 5, 3, 1)]
    public void Conv_matches_tf_conv2d_same(int height, int width, int kernel, int stride)
    {
        const int cin = 2, cout = 3;
        var random = new Random(height * 100 + width * 10 + kernel);
        var filters = Random(random, kernel * kernel * cin * cout);
        var bias = Random(random, cout);
        var input = Random(random, cin * height * width);
        var (graph, tf) = Layers(("f", [kernel, kernel, cin, cout], filters), ("b", [cout], bias));
        var x = graph.AddInput("x", OnnxDataType.Float, 1, cin, height, width);
        graph.AddNamed("y", "Identity", [tf.Conv(x, "f", "b", cin, cout, kernel, stride)]);
        graph.AddOutput("y", OnnxDataType.Float, null, null, null, null);
        var actual = OnnxModelWriterTests.Run(graph.ToModel(), "x", input, [1, cin, height, width], "y");

        var expected = TfSame(input, cin, height, width, kernel, stride, cout, (ky, kx, i, o) => filters[((ky * kernel + kx) * cin + i) * cout + o], (acc, o) => acc + bias[o]);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-5f);
    }

    [Fact]
    public void Depthwise_conv_matches_tf_depthwise_conv2d_same()
    {
        const int channels = 3, height = 5, width = 4, kernel = 3, stride = 2;
        var random = new Random(7);
        var filters = Random(random, kernel * kernel * channels);
        var input = Random(random, channels * height * width);
        var (graph, tf) = Layers(("d", [kernel, kernel, channels, 1], filters));
        var x = graph.AddInput("x", OnnxDataType.Float, 1, channels, height, width);
        graph.AddNamed("y", "Identity", [tf.Depthwise(x, "d", channels, kernel, stride)]);
        graph.AddOutput("y", OnnxDataType.Float, null, null, null, null);
        var actual = OnnxModelWriterTests.Run(graph.ToModel(), "x", input, [1, channels, height, width], "y");

        // Depthwise: output channel o reads only input channel o.
        var expected = TfSame(input, channels, height, width, kernel, stride, channels,
            (ky, kx, i, o) => i == o ? filters[(ky * kernel + kx) * channels + i] : 0, (acc, _) => acc);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-5f);
    }

    [Fact]
    public void Max_pool_same_never_picks_padding()
    {
        // All inputs negative: a padded zero would win if padding took part.
        const int height = 4, width = 5;
        var input = Enumerable.Range(0, height * width).Select(i => -1f - i).ToArray();
        var (graph, tf) = Layers();
        var x = graph.AddInput("x", OnnxDataType.Float, 1, 1, height, width);
        graph.AddNamed("y", "Identity", [tf.MaxPoolSame(x, 3, 2)]);
        graph.AddOutput("y", OnnxDataType.Float, null, null, null, null);
        var actual = OnnxModelWriterTests.Run(graph.ToModel(), "x", input, [1, 1, height, width], "y");
        var expected = TfSame(input, 1, height, width, 3, 2, 1, (_, _, _, _) => 1, (acc, _) => acc, max: true);
        Assert.Equal(expected, actual);
    }

    private (OnnxGraph, TfLayers) Layers(params (string Name, int[] Shape, float[] Values)[] tensors)
    {
        var graph = new OnnxGraph("test");
        return (graph, new TfLayers(graph, TfjsWeights.Load(TfjsWeightsTests.WriteFloat32(_folder, "m", [("unused", [1], [0f]), .. tensors]))));
    }

    private static float[] Random(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1))];

    /// <summary>TensorFlow's 'same' sliding window written out: output ceil(in/stride); total padding
    /// max((out − 1)·stride + kernel − in, 0), of which ⌊total/2⌋ before and the rest after. NCHW in and out; padding is zero for a convolution and never taken by a max pool.</summary>
    private static float[] TfSame(float[] input, int cin, int height, int width, int kernel, int stride, int cout,
        Func<int, int, int, int, float> weight, Func<float, int, float> finish, bool max = false)
    {
        int outH = (height + stride - 1) / stride, outW = (width + stride - 1) / stride;
        int padTop = Math.Max((outH - 1) * stride + kernel - height, 0) / 2, padLeft = Math.Max((outW - 1) * stride + kernel - width, 0) / 2;
        var output = new float[cout * outH * outW];
        for (int o = 0; o < cout; o++)
            for (int r = 0; r < outH; r++)
                for (int c = 0; c < outW; c++)
                {
                    float acc = max ? float.NegativeInfinity : 0;
                    for (int ky = 0; ky < kernel; ky++)
                        for (int kx = 0; kx < kernel; kx++)
                        {
                            int y = r * stride + ky - padTop, x = c * stride + kx - padLeft;
                            bool inside = y >= 0 && y < height && x >= 0 && x < width;
                            for (int i = 0; i < cin; i++)
                            {
                                if (max) { if (inside) acc = Math.Max(acc, input[(i * height + y) * width + x]); }
                                else if (inside) acc += input[(i * height + y) * width + x] * weight(ky, kx, i, o);
                            }
                        }
                    output[(o * outH + r) * outW + c] = finish(acc, o);
                }
        return output;
    }
}
