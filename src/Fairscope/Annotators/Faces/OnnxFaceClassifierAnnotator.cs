namespace Fairscope;

/// <summary>
/// Labels generated images with a user's <see cref="OnnxFaceClassifier"/> applied to the one detected face: each head
/// whose attribute the suite declares gives the mapped category of its most probable label (unmapped labels:
/// unknown). Images with no face or several faces are unknown, as for <see cref="FaceApiAnnotator"/>; share its
/// <see cref="FaceDetectionCache"/> so images are detected once. Thread-safe.
/// </summary>
public sealed class OnnxFaceClassifierAnnotator : IAnnotator
{
    // Bump when the labelling rule changes meaning, so stored labels are recomputed.
    private const int RuleVersion = 1;
    private readonly ImageStore _images;
    private readonly FaceDetectionCache _detections;
    private readonly OnnxFaceClassifier _classifier;

    /// <summary>An annotator for a suite with <paramref name="attributes"/>; refuses when no head labels a suite
    /// attribute, or a head maps a label to a category the suite does not declare.</summary>
    public OnnxFaceClassifierAnnotator(ImageStore images, FaceDetectionCache detections, OnnxFaceClassifier classifier, IReadOnlyList<DemographicAttribute> attributes)
    {
        (_images, _detections, _classifier) = (images, detections, classifier);
        var declared = attributes.Where(a => !a.IsIntersection).ToDictionary(a => a.Name);
        var spec = classifier.Spec;
        Attributes = [.. spec.Heads.Select(h => h.Attribute).Where(declared.ContainsKey)];
        if (Attributes.Count == 0)
            throw new FairscopeException($"{spec.Origin}: no head labels an attribute of the suite (heads: {string.Join(", ", spec.Heads.Select(h => h.Attribute))}; suite: {string.Join(", ", declared.Keys)}); set each head's 'attribute' to one of the suite's");
        foreach (var head in spec.Heads.Where(h => declared.ContainsKey(h.Attribute)))
            FaceLabels.Require(declared[head.Attribute], head.Map.Values, $"{spec.Origin}: head '{head.Attribute}'", "map the model's labels to the suite's categories (or leave a label out of 'map' for unknown)");
        Name = $"onnx-face:{Path.GetFileNameWithoutExtension(classifier.ModelPath)}";
        Version = $"{RuleVersion}.{classifier.Sha256[..12]}.{detections.Detector.WeightsSha256[..8]}";
    }

    /// <summary><c>onnx-face:</c> and the model's file name without extension.</summary>
    public string Name { get; }

    /// <summary>Rule version, the first 12 hex digits of the model + sidecar hash and 8 of the detector's weights hash.</summary>
    public string Version { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Attributes { get; }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Annotation>> AnnotateAsync(AnnotationInput input, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_detections.Look(_images, input.Output) is not (var image, var faces)) return ValueTask.FromResult(FaceLabels.NotAnImageLabels(Attributes));
        if (FaceLabels.WhyUnknown(faces) is { } why)
            return ValueTask.FromResult<IReadOnlyList<Annotation>>([.. Attributes.Select(a => new Annotation(a, DemographicAttribute.Unknown, why))]);
        var predictions = _classifier.Classify(image, [faces[0].Box])[0].ToDictionary(p => p.Head.Attribute);
        return ValueTask.FromResult<IReadOnlyList<Annotation>>(
            [.. Attributes.Select(a => new Annotation(a, predictions[a].Category, $"{predictions[a]}; {faces[0]}"))]);
    }
}
