namespace Fairscope;

/// <summary>
/// The two @vladmandic/face-api networks Fairscope runs, built as ONNX graphs in memory from the package's TF.js
/// weights (model/ssd_mobilenetv1_model-* and model/age_gender_model-*): no converted model files to trust or ship.
/// Get the folder with <c>npm pack @vladmandic/face-api@1.7.15</c> (MIT) and extract it; the tests use
/// test/node/node_modules/@vladmandic/face-api/model.
/// </summary>
public sealed class FaceApiModels : IDisposable
{
    /// <summary>The SSD MobileNetV1 manifest's file name.</summary>
    public const string DetectorManifest = "ssd_mobilenetv1_model-weights_manifest.json";

    /// <summary>The AgeGenderNet manifest's file name.</summary>
    public const string AgeGenderManifest = "age_gender_model-weights_manifest.json";

    /// <summary>Intra-op threads per run when not given: one, because the annotation stage already runs several images at
    /// once, which measured fastest on the project's 2-core machine (31 images/s, against 29 with two threads per run;
    /// a single caller on one image after another does better with 2: 26 against 18). See docs/benchmarks.md.</summary>
    public const int DefaultThreads = 1;

    private FaceApiModels(string directory, FaceDetector detector, AgeGenderEstimator ageGender) =>
        (Directory, Detector, AgeGender) = (directory, detector, ageGender);

    /// <summary>The model folder.</summary>
    public string Directory { get; }

    /// <summary>SSD MobileNetV1.</summary>
    public FaceDetector Detector { get; }

    /// <summary>AgeGenderNet.</summary>
    public AgeGenderEstimator AgeGender { get; }

    /// <summary>Loads both networks from <paramref name="directory"/> (face-api's model/ folder), each run using
    /// <paramref name="intraOpThreads"/> threads (0: <see cref="DefaultThreads"/>).</summary>
    public static FaceApiModels Load(string directory, int intraOpThreads = 0)
    {
        var folder = Path.GetFullPath(directory);
        if (!File.Exists(Path.Combine(folder, DetectorManifest)) || !File.Exists(Path.Combine(folder, AgeGenderManifest)))
            throw new FairscopeException($"{folder}: not a face-api model folder ({DetectorManifest} and {AgeGenderManifest} expected); run 'fairscope models fetch face-api', or npm pack @vladmandic/face-api@1.7.15, extract the .tgz and pass its package/model folder");
        var threads = intraOpThreads > 0 ? intraOpThreads : DefaultThreads;
        var ssd = TfjsWeights.Load(Path.Combine(folder, DetectorManifest));
        var ageGender = TfjsWeights.Load(Path.Combine(folder, AgeGenderManifest));
        var detector = new FaceDetector(OnnxSessions.Create(SsdMobilenetV1Graph.Build(ssd), threads, ssd.Manifest), ssd.Sha256);
        try
        {
            return new FaceApiModels(folder, detector,
                new AgeGenderEstimator(OnnxSessions.Create(AgeGenderNetGraph.Build(ageGender), threads, ageGender.Manifest), ageGender.Sha256));
        }
        catch
        {
            detector.Dispose();
            throw;
        }
    }

    /// <summary>Releases both sessions.</summary>
    public void Dispose()
    {
        Detector.Dispose();
        AgeGender.Dispose();
    }
}
