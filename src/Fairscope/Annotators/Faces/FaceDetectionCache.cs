using System.Collections.Concurrent;

namespace Fairscope;

/// <summary>
/// Detections per stored image, shared by the annotators that look at faces (<see cref="FaceApiAnnotator"/>,
/// <see cref="OnnxFaceClassifierAnnotator"/>), so an image is searched for faces once however many of them label it,
/// even when they run in parallel. Keyed by image reference: references are content hashes, so a reference always
/// names the same pixels. Holds only boxes and scores (about 100 bytes per image), never pixels.
/// </summary>
public sealed class FaceDetectionCache(FaceDetector detector)
{
    private readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<DetectedFace>>> _faces = new(StringComparer.Ordinal);

    /// <summary>The detector behind the cache.</summary>
    public FaceDetector Detector { get; } = detector;

    /// <summary>Images detected so far.</summary>
    public int Count => _faces.Count;

    /// <summary>The faces in <paramref name="image"/>, the decoded pixels of <paramref name="reference"/>; detected on
    /// the first call for that reference, later calls (from any thread) get the same list.</summary>
    public IReadOnlyList<DetectedFace> Detect(string reference, RgbImage image) =>
        _faces.GetOrAdd(reference, _ => new Lazy<IReadOnlyList<DetectedFace>>(() => Detector.Detect(image))).Value;

    /// <summary>What a face annotator starts from: the sample's stored image and its faces, or null when the sample's
    /// output is text rather than an image reference.</summary>
    public (RgbImage Image, IReadOnlyList<DetectedFace> Faces)? Look(ImageStore images, string output)
    {
        if (!ImageStore.IsReference(output)) return null;
        var image = images.Load(output);
        return (image, Detect(output, image));
    }
}
