namespace Fairscope.Tests;

/// <summary><see cref="FaceApiAnnotator"/> on stored images with the real face-api weights: a one-face crop of a demo
/// photo, a group photo, a blank image and a text output.</summary>
public sealed class FaceApiAnnotatorTests : IDisposable
{
    private static readonly DemographicAttribute[] Suite =
    [
        FaceApiTestSupport.Attribute("gender", "female", "male"),
        FaceApiTestSupport.Attribute("age", "young", "middle_aged", "older"),
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("fairscope-faces-").FullName;
    private readonly ImageStore _store;
    private readonly string _oneFace, _group, _blank;

    public FaceApiAnnotatorTests()
    {
        _store = new ImageStore(_folder);
        // sample1's first face (face-api: female, age 21.5) with its surroundings, and no other face.
        var photo = ImageDecoder.DecodeFile(FaceApiTestSupport.Photo("sample1.jpg"));
        _oneFace = _store.Put(ImageDecoder.EncodePng(photo.Crop(314, 255, 380, 450)), "one face");
        _group = _store.Put(File.ReadAllBytes(FaceApiTestSupport.Photo("sample3.jpg")), "group");
        _blank = _store.Put(ImageDecoder.EncodePng(new RgbImage(64, 48, [.. Enumerable.Repeat((byte)128, 64 * 48 * 3)])), "blank");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private FaceApiAnnotator Annotator(IReadOnlyList<DemographicAttribute>? attributes = null, FaceApiAnnotatorOptions? options = null, FaceDetectionCache? cache = null) =>
        new(_store, FaceApiTestSupport.Models, attributes ?? Suite, options, cache);

    private static async Task<Dictionary<string, Annotation>> LabelAsync(IAnnotator annotator, string output) =>
        (await annotator.AnnotateAsync(FaceApiTestSupport.Input(output), CancellationToken.None)).ToDictionary(a => a.Attribute);

    [FaceApiFact]
    public async Task One_face_gets_gender_and_an_age_band_with_its_evidence()
    {
        var labels = await LabelAsync(Annotator(), _oneFace);
        Assert.Equal(["faces", "gender", "age"], labels.Keys);
        Assert.Equal("one face", labels["faces"].Label);
        Assert.Equal("female", labels["gender"].Label);
        Assert.Equal("young", labels["age"].Label);
        Assert.Matches(@"^\(\d+,\d+\) \d+×\d+ score 0\.9\d\d; age 2\d\.\d, p\(male\) 0\.\d{3}$", labels["gender"].Evidence);
        Assert.Equal(labels["gender"].Evidence, labels["age"].Evidence);
    }

    [FaceApiFact]
    public async Task Several_faces_leave_gender_and_age_unknown_with_the_reason()
    {
        var labels = await LabelAsync(Annotator(), _group);
        Assert.Equal("several faces", labels["faces"].Label);
        Assert.StartsWith("3 faces: (", labels["faces"].Evidence);
        Assert.Equal(2, labels["faces"].Evidence!.Count(c => c == ';'));
        Assert.All([labels["gender"], labels["age"]], a => Assert.Equal(("unknown", "3 faces detected; attributes are labelled only for exactly one face"), (a.Label, a.Evidence)));
    }

    [FaceApiFact]
    public async Task No_face_and_text_outputs_are_unknown()
    {
        var blank = await LabelAsync(Annotator(), _blank);
        Assert.Equal(("no face", "no face scored above 0.5"), (blank["faces"].Label, blank["faces"].Evidence));
        Assert.Equal(("unknown", "no face detected"), (blank["gender"].Label, blank["gender"].Evidence));
        var text = await LabelAsync(Annotator(), "She is a nurse.");
        Assert.All(text.Values, a => Assert.Equal(("unknown", "the output is not an image"), (a.Label, a.Evidence)));
    }

    [FaceApiFact]
    public async Task Only_declared_attributes_are_labelled_and_faces_always()
    {
        var annotator = Annotator([FaceApiTestSupport.Attribute("race", "white", "black")]);
        Assert.Equal(["faces"], annotator.Attributes);
        Assert.Equal(["faces"], (await LabelAsync(annotator, _oneFace)).Keys);
        var refused = Assert.Throws<FairscopeException>(() => Annotator([FaceApiTestSupport.Attribute("faces", "none", "some")]));
        Assert.Contains("'no face', 'one face', 'several faces'", refused.Message);
    }

    [FaceApiFact]
    public async Task Gender_categories_must_be_declared_or_mapped()
    {
        DemographicAttribute[] suite = [FaceApiTestSupport.Attribute("gender", "woman", "man")];
        var e = Assert.Throws<FairscopeException>(() => Annotator(suite));
        Assert.StartsWith("face-api: the suite's 'gender' attribute has categories (woman, man) but not 'female', 'male'", e.Message);
        Assert.Contains("FaceApiAnnotatorOptions.Female/Male", e.Message);
        var mapped = Annotator(suite, new FaceApiAnnotatorOptions { Female = "woman", Male = "man" });
        Assert.Equal("woman", (await LabelAsync(mapped, _oneFace))["gender"].Label);
    }

    [FaceApiFact]
    public async Task Age_bands_are_configurable_and_change_the_version()
    {
        var options = new FaceApiAnnotatorOptions { AgeBands = [new("minor", 0), new("adult", 18)] };
        DemographicAttribute[] suite = [FaceApiTestSupport.Attribute("age", "minor", "adult")];
        var annotator = Annotator(suite, options);
        Assert.Equal("adult", (await LabelAsync(annotator, _oneFace))["age"].Label);
        Assert.Matches(@"^1\.[0-9a-f]{16}\.female/male\.minor0,adult18$", annotator.Version);
        Assert.Matches(@"^1\.[0-9a-f]{16}\.female/male\.young0,middle_aged35,older65$", Annotator().Version);
        Assert.Throws<FairscopeException>(() => Annotator(suite, options with { AgeBands = [new("adult", 18), new("minor", 0)] }));
        Assert.Contains("'minor', 'adult'", Assert.Throws<FairscopeException>(() => Annotator(Suite, options)).Message);
    }

    [FaceApiFact]
    public async Task Parallel_calls_detect_each_image_once_and_agree()
    {
        var cache = new FaceDetectionCache(FaceApiTestSupport.Models.Detector);
        IAnnotator[] annotators = [Annotator(cache: cache), Annotator([FaceApiTestSupport.Attribute("age", "minor", "adult")],
            new FaceApiAnnotatorOptions { AgeBands = [new("minor", 0), new("adult", 18)] }, cache)];
        var work = Enumerable.Range(0, 4).SelectMany(_ => annotators.SelectMany(a => new[] { _oneFace, _group, _blank }.Select(r => (a, r)))).ToList();
        var results = new System.Collections.Concurrent.ConcurrentBag<(string Reference, string Faces)>();
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (item, ct) =>
            results.Add((item.r, (await item.a.AnnotateAsync(FaceApiTestSupport.Input(item.r), ct)).Single(l => l.Attribute == "faces").Label)));
        Assert.Equal(3, cache.Count);
        Assert.Equal(24, results.Count);
        Assert.Equal(3, results.Distinct().Count());
        Assert.Same(cache.Detect(_group, new RgbImage(1, 1, new byte[3])), cache.Detect(_group, new RgbImage(1, 1, new byte[3])));
    }
}
