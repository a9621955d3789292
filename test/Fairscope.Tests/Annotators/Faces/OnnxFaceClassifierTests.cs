namespace Fairscope.Tests;

/// <summary>
/// <see cref="OnnxFaceClassifier"/>, its sidecar (<see cref="OnnxFaceClassifierSpec"/>) and
/// <see cref="OnnxFaceClassifierAnnotator"/>, on a small model written with <see cref="OnnxGraph"/> whose outputs are
/// known for known pixels: the crop's mean R, G, B (after normalisation) are the "tone" logits, (R − B, B − R) the
/// "warmth" logits.
/// </summary>
public sealed class OnnxFaceClassifierTests : IDisposable
{
    private const string Sidecar = """
        input: {name: pixels, size: 8, layout: LAYOUT, channels: CHANNELS, scale: 0.00392156862745098}
        crop: {margin: MARGIN}
        heads:
          - output: logits
            attribute: race
            labels: [Red, Green, Blue]
            map: {Red: white, Blue: black}
          - output: logits
            from: 3
            attribute: gender
            labels: [Warm, Cool]
            map: {Warm: female, Cool: male}
        """;

    private static readonly DemographicAttribute[] Suite =
    [
        FaceApiTestSupport.Attribute("race", "white", "black", "asian"),
        FaceApiTestSupport.Attribute("gender", "female", "male"),
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("fairscope-onnxface-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Writes tone.onnx (input [N,3,8,8] or [N,8,8,3]) and its sidecar; returns the model's path.</summary>
    private string WriteModel(TensorLayout layout = TensorLayout.Nchw, string channels = "rgb", double margin = 0, string sidecar = Sidecar)
    {
        var graph = new OnnxGraph("tone");
        var nchw = layout == TensorLayout.Nchw;
        var x = graph.AddInput("pixels", OnnxDataType.Float, nchw ? [null, 3, 8, 8] : [null, 8, 8, 3]);
        var means = graph.Add("ReduceMean", [x], OnnxAttribute.Ints("axes", nchw ? [2, 3] : [1, 2]), OnnxAttribute.Int("keepdims", 0));
        // [r, g, b] · W = [r, g, b, r − b, b − r]
        graph.AddNamed("logits", "MatMul", [means, graph.AddInitializer("w", [1f, 0, 0, 1, -1, 0, 1, 0, 0, 0, 0, 0, 1, -1, 1], 3, 5)]);
        graph.AddOutput("logits", OnnxDataType.Float, null, 5);
        var path = Path.Combine(_folder, "tone.onnx");
        File.WriteAllBytes(path, graph.ToModel());
        File.WriteAllText(Path.ChangeExtension(path, ".yaml"), sidecar.Replace("LAYOUT", layout.ToString().ToLowerInvariant())
            .Replace("CHANNELS", channels).Replace("MARGIN", margin.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return path;
    }

    private static RgbImage Uniform(int width, int height, byte r, byte g, byte b) =>
        new(width, height, [.. Enumerable.Range(0, width * height).SelectMany(_ => new[] { r, g, b })]);

    private static double SoftmaxTop(params double[] logits) => 1 / logits.Sum(l => Math.Exp(l - logits.Max()));

    [Fact]
    public void Known_pixels_give_known_labels_and_probabilities()
    {
        using var classifier = OnnxFaceClassifier.Load(WriteModel());
        var face = new FaceBox(10, 10, 20, 20);
        var predictions = classifier.Classify(Uniform(40, 40, 200, 50, 30), [face, face]);
        Assert.Equal(2, predictions.Count);
        var (r, g, b) = (200 / 255.0, 50 / 255.0, 30 / 255.0);
        foreach (var prediction in predictions)
        {
            Assert.Equal(("race", "Red", "white"), (prediction[0].Head.Attribute, prediction[0].ModelLabel, prediction[0].Category));
            Assert.Equal(SoftmaxTop(r, g, b), prediction[0].Probability, 5);
            Assert.Equal(("gender", "Warm", "female"), (prediction[1].Head.Attribute, prediction[1].ModelLabel, prediction[1].Category));
            Assert.Equal(SoftmaxTop(r - b, b - r), prediction[1].Probability, 5);
        }
    }

    [Fact]
    public void Nhwc_layout_and_bgr_order_reach_the_model_as_described()
    {
        // BGR: the model's first channel is blue, so the "Red" logit reads the blue mean.
        using var classifier = OnnxFaceClassifier.Load(WriteModel(TensorLayout.Nhwc, "bgr"));
        var prediction = classifier.Classify(Uniform(40, 40, 30, 50, 200), [new FaceBox(5, 5, 30, 30)])[0];
        Assert.Equal(("Red", "Warm"), (prediction[0].ModelLabel, prediction[1].ModelLabel));
    }

    [Fact]
    public void The_margin_reaches_beyond_the_image_as_black()
    {
        // The box is the whole 40×40 image; margin 0.5 makes an 80-pixel window of which the middle half in each
        // direction is the image: every channel's mean is a quarter of the pixel value.
        using var classifier = OnnxFaceClassifier.Load(WriteModel(margin: 0.5));
        var prediction = classifier.Classify(Uniform(40, 40, 200, 50, 30), [new FaceBox(0, 0, 40, 40)])[0];
        var (r, g, b) = (200 / 255.0 / 4, 50 / 255.0 / 4, 30 / 255.0 / 4);
        Assert.Equal(SoftmaxTop(r, g, b), prediction[0].Probability, 5);
    }

    [Theory]
    [InlineData("input: {name: pixels, size: 8, layout: chw}\nheads: [{output: logits, attribute: race, labels: [A, B]}]", ":1: input.layout must be nchw or nhwc, not 'chw'")]
    [InlineData("input: {name: pixels, size: 8, std: [1, 0, 1]}\nheads: [{output: logits, attribute: race, labels: [A, B]}]", ":1: input.std must not contain 0")]
    [InlineData("input: {name: pixels, size: 8}\nheads:\n  - {output: logits, attribute: race, labels: [A, B], map: {C: white}}", ":3: heads[0].map names 'C', which is not one of its labels (A, B)")]
    [InlineData("input: {name: pixels, size: 8}\nheads:\n  - {output: logits, attribute: race, labels: [A, B]}\n  - {output: logits, from: 2, attribute: race, labels: [C, D]}", ":3: two heads label 'race'")]
    [InlineData("input: {name: pixels, size: 8}\nhead: []", ":2: unknown key 'head' in the sidecar")]
    public void Sidecar_errors_name_the_file_and_line(string yaml, string expected)
    {
        var e = Assert.Throws<FairscopeException>(() => OnnxFaceClassifierSpec.Parse(yaml, "tone.yaml"));
        Assert.StartsWith("tone.yaml" + expected, e.Message);
    }

    [Theory]
    [InlineData("name: pixels", "name: image", "input.name 'image' is not an input of")]
    [InlineData("size: 8", "size: 16", "takes 'pixels' as Single[-1,3,8,8], but the sidecar describes float[N,3,16,16]")]
    [InlineData("from: 3", "from: 4", "head 'gender' needs float values 4..5 of 'logits', which is Single[-1,5]")]
    [InlineData("output: logits\n    attribute: race", "output: probabilities\n    attribute: race", "head 'race' reads output 'probabilities', which")]
    public void A_sidecar_that_does_not_fit_the_model_is_refused(string from, string to, string expected)
    {
        var path = WriteModel(sidecar: Sidecar.Replace(from, to));
        var e = Assert.Throws<FairscopeException>(() => OnnxFaceClassifier.Load(path));
        Assert.StartsWith(Path.ChangeExtension(path, ".yaml") + ": ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_missing_sidecar_is_named_with_the_fix()
    {
        var path = WriteModel();
        File.Delete(Path.ChangeExtension(path, ".yaml"));
        var e = Assert.Throws<FairscopeException>(() => OnnxFaceClassifier.Load(path));
        Assert.StartsWith(Path.ChangeExtension(path, ".yaml") + ": the face classifier's YAML sidecar is missing", e.Message);
        Assert.Contains("docs/annotators.md", e.Message);
    }

    [FaceApiFact]
    public async Task The_annotator_labels_the_one_face_and_shares_detections_with_face_api()
    {
        var store = new ImageStore(_folder);
        var photo = ImageDecoder.DecodeFile(FaceApiTestSupport.Photo("sample1.jpg"));
        var oneFace = photo.Crop(314, 255, 380, 450);
        var reference = store.Put(ImageDecoder.EncodePng(oneFace), "one face");
        var group = store.Put(File.ReadAllBytes(FaceApiTestSupport.Photo("sample3.jpg")), "group");
        using var classifier = OnnxFaceClassifier.Load(WriteModel(margin: 0.25));
        var cache = new FaceDetectionCache(FaceApiTestSupport.Models.Detector);
        var annotator = new OnnxFaceClassifierAnnotator(store, cache, classifier, [.. Suite, FaceApiTestSupport.Attribute("age", "young", "older")]);
        Assert.Equal("onnx-face:tone", annotator.Name);
        Assert.Equal(["race", "gender"], annotator.Attributes);
        Assert.Matches(@"^1\.[0-9a-f]{12}\.[0-9a-f]{8}$", annotator.Version);

        var labels = await annotator.AnnotateAsync(FaceApiTestSupport.Input(reference), CancellationToken.None);
        var face = Assert.Single(cache.Detect(reference, oneFace));
        var expected = classifier.Classify(oneFace, [face.Box])[0];
        Assert.Equal([("race", expected[0].Category, $"{expected[0]}; {face}"), ("gender", expected[1].Category, $"{expected[1]}; {face}")],
            labels.Select(l => (l.Attribute, l.Label, l.Evidence!)));
        Assert.Contains(expected[0].ModelLabel, new[] { "Red", "Green", "Blue" });

        var faceApi = new FaceApiAnnotator(store, FaceApiTestSupport.Models, Suite, detections: cache);
        await faceApi.AnnotateAsync(FaceApiTestSupport.Input(reference), CancellationToken.None);
        var several = await annotator.AnnotateAsync(FaceApiTestSupport.Input(group), CancellationToken.None);
        Assert.All(several, l => Assert.Equal(("unknown", "3 faces detected; attributes are labelled only for exactly one face"), (l.Label, l.Evidence)));
        await faceApi.AnnotateAsync(FaceApiTestSupport.Input(group), CancellationToken.None);
        Assert.Equal(2, cache.Count);
    }

    [FaceApiFact]
    public void The_annotator_refuses_maps_to_undeclared_categories_and_suites_without_its_attributes()
    {
        using var classifier = OnnxFaceClassifier.Load(WriteModel());
        var store = new ImageStore(_folder);
        var cache = new FaceDetectionCache(FaceApiTestSupport.Models.Detector);
        var e = Assert.Throws<FairscopeException>(() => new OnnxFaceClassifierAnnotator(store, cache, classifier, [FaceApiTestSupport.Attribute("race", "white", "asian")]));
        Assert.Contains("head 'race': the suite's 'race' attribute has categories (white, asian) but not 'black'", e.Message);
        e = Assert.Throws<FairscopeException>(() => new OnnxFaceClassifierAnnotator(store, cache, classifier, [FaceApiTestSupport.Attribute("age", "young", "older")]));
        Assert.Contains("no head labels an attribute of the suite (heads: race, gender; suite: age)", e.Message);
    }
}
