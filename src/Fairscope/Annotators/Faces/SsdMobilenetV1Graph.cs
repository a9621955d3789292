namespace Fairscope;

/// <summary>
/// face-api's SSD MobileNetV1 face detector (src/ssdMobilenetv1: mobileNetV1, predictionLayer, outputLayer) as an
/// ONNX graph from its TF.js weights. Input <c>image</c> [N, 3, 512, 512], already normalised to x/127.5 − 1;
/// outputs <c>boxes</c> [N, 5118, 4] (ymin, xmin, ymax, xmax relative to the padded square) and <c>scores</c>
/// [N, 5118] (sigmoid of the face class), before non-maximum suppression.
/// </summary>
internal static class SsdMobilenetV1Graph
{
    public const int Anchors = 5118;

    // face-api's mobileNetV1.ts: BatchNorm epsilon of the depthwise layers.
    private const float Epsilon = 0.0010000000474974513f;

    // (channels in, channels out) of MobilenetV1 conv pairs 1..13; depthwise stride 2 at layers 2, 4, 6 and 12.
    private static readonly (int In, int Out)[] Pairs =
        [(32, 64), (64, 128), (128, 128), (128, 256), (256, 256), (256, 512), (512, 512), (512, 512), (512, 512), (512, 512), (512, 512), (512, 1024), (1024, 1024)];

    // Prediction/Conv2d_0..7_pointwise: (in, out, kernel, stride).
    private static readonly (int In, int Out, int Kernel, int Stride)[] Extra =
        [(1024, 256, 1, 1), (256, 512, 3, 2), (512, 128, 1, 1), (128, 256, 3, 2), (256, 128, 1, 1), (128, 256, 3, 2), (256, 64, 1, 1), (64, 128, 3, 2)];

    public static byte[] Build(TfjsWeights weights)
    {
        var graph = new OnnxGraph("ssd_mobilenetv1");
        var tf = new TfLayers(graph, weights);
        var x = graph.AddInput("image", OnnxDataType.Float, null, 3, 512, 512);

        // mobileNetV1: conv_0 (3×3, stride 2) then 13 depthwise/pointwise pairs, each with ReLU6.
        var mobilenet = Pointwise(tf, x, "MobilenetV1/Conv2d_0_pointwise", 3, 32, 3, 2);
        string conv11 = "";
        for (int layer = 1; layer <= 13; layer++)
        {
            var (cin, cout) = Pairs[layer - 1];
            var prefix = $"MobilenetV1/Conv2d_{layer}_depthwise";
            var depthwise = tf.Depthwise(mobilenet, $"{prefix}/depthwise_weights", cin, 3, layer is 2 or 4 or 6 or 12 ? 2 : 1);
            depthwise = tf.Relu6(tf.BatchNorm(depthwise, $"{prefix}/BatchNorm/gamma", $"{prefix}/BatchNorm/beta",
                $"{prefix}/BatchNorm/moving_mean", $"{prefix}/BatchNorm/moving_variance", cin, Epsilon));
            mobilenet = Pointwise(tf, depthwise, $"MobilenetV1/Conv2d_{layer}_pointwise", cin, cout, 1, 1);
            if (layer == 11) conv11 = mobilenet;
        }

        // predictionLayer: eight more pointwise layers; box predictors on conv11, the MobileNet output and conv 1, 3, 5, 7.
        var extra = new string[Extra.Length];
        for (int i = 0; i < Extra.Length; i++)
        {
            var (cin, cout, kernel, stride) = Extra[i];
            extra[i] = Pointwise(tf, i == 0 ? mobilenet : extra[i - 1], $"Prediction/Conv2d_{i}_pointwise", cin, cout, kernel, stride);
        }
        (string Input, int Channels, int PerCell)[] heads =
            [(conv11, 512, 3), (mobilenet, 1024, 6), (extra[1], 512, 6), (extra[3], 256, 6), (extra[5], 256, 6), (extra[7], 128, 6)];
        var encodings = new string[heads.Length];
        var classes = new string[heads.Length];
        for (int i = 0; i < heads.Length; i++)
        {
            var (input, channels, perCell) = heads[i];
            var prefix = $"Prediction/BoxPredictor_{i}";
            // TF reshapes the NHWC conv output: back to NHWC before flattening, so anchors keep TF's (row, column, anchor) order.
            encodings[i] = Flatten(graph, tf.Conv(input, $"{prefix}/BoxEncodingPredictor/weights", $"{prefix}/BoxEncodingPredictor/biases", channels, perCell * 4, 1, 1), 4);
            classes[i] = Flatten(graph, tf.Conv(input, $"{prefix}/ClassPredictor/weights", $"{prefix}/ClassPredictor/biases", channels, perCell * 3, 1, 1), 3);
        }
        var encoding = graph.Add("Concat", encodings, OnnxAttribute.Int("axis", 1));   // [N, 5118, 4]
        var logits = graph.Add("Concat", classes, OnnxAttribute.Int("axis", 1));       // [N, 5118, 3]

        // outputLayer: decode against the anchors (Output/extra_dim) in the op order of face-api's decodeBoxesLayer.
        var (sizes, centers) = AnchorSizesAndCenters(weights);
        var sizesName = graph.AddInitializer("anchor_sizes", sizes, Anchors, 2);
        var centersName = graph.AddInitializer("anchor_centers", centers, Anchors, 2);
        var yx = graph.Add("Slice", [encoding, graph.Int64s(0), graph.Int64s(2), graph.Int64s(2)]);
        var hw = graph.Add("Slice", [encoding, graph.Int64s(2), graph.Int64s(4), graph.Int64s(2)]);
        var center = graph.Add("Add", [graph.Add("Mul", [graph.Add("Div", [yx, graph.Scalar(10)]), sizesName]), centersName]);
        var half = graph.Add("Div", [graph.Add("Mul", [graph.Add("Exp", [graph.Add("Div", [hw, graph.Scalar(5)])]), sizesName]), graph.Scalar(2)]);
        graph.AddNamed("boxes", "Concat", [graph.Add("Sub", [center, half]), graph.Add("Add", [center, half])], OnnxAttribute.Int("axis", 2));
        var face = graph.Add("Sigmoid", [graph.Add("Slice", [logits, graph.Int64s(1), graph.Int64s(2), graph.Int64s(2)])]);
        graph.AddNamed("scores", "Reshape", [face, graph.Int64s(0, -1)]);
        graph.AddOutput("boxes", OnnxDataType.Float, null, Anchors, 4);
        graph.AddOutput("scores", OnnxDataType.Float, null, Anchors);
        return graph.ToModel();
    }

    /// <summary>face-api's pointwiseConvLayer: conv ('same') + batch_norm_offset, then ReLU6.</summary>
    private static string Pointwise(TfLayers tf, string x, string prefix, int cin, int cout, int kernel, int stride) =>
        tf.Relu6(tf.Conv(x, $"{prefix}/weights", $"{prefix}/convolution_bn_offset", cin, cout, kernel, stride));

    /// <summary>[N, C, H, W] → [N, H·W·C/values, values] in TF's NHWC order.</summary>
    private static string Flatten(OnnxGraph graph, string nchw, int values) =>
        graph.Add("Reshape", [graph.Add("Transpose", [nchw], OnnxAttribute.Ints("perm", 0, 2, 3, 1)), graph.Int64s(0, -1, values)]);

    /// <summary>getCenterCoordinatesAndSizesLayer on the constant anchors, in float32 as TF computes it:
    /// sizes (v2 − v0, v3 − v1), centres (v0 + size/2, v1 + size/2).</summary>
    private static (float[] Sizes, float[] Centers) AnchorSizesAndCenters(TfjsWeights weights)
    {
        var anchors = weights.Get("Output/extra_dim", 1, Anchors, 4).Values;
        var sizes = new float[Anchors * 2];
        var centers = new float[Anchors * 2];
        for (int a = 0; a < Anchors; a++)
            for (int k = 0; k < 2; k++)
            {
                float size = anchors[a * 4 + k + 2] - anchors[a * 4 + k];
                sizes[a * 2 + k] = size;
                centers[a * 2 + k] = anchors[a * 4 + k] + size / 2;
            }
        return (sizes, centers);
    }
}
