using System.Text;

namespace Fairscope;

/// <summary>
/// The rules the face annotators share: the <c>faces</c> attribute's labels, and perceived attributes only for an image
/// with exactly one face (with none there is nobody to describe; with several, whose attributes would it be?), otherwise
/// <see cref="DemographicAttribute.Unknown"/> with the reason as evidence.
/// </summary>
public static class FaceLabels
{
    /// <summary>The attribute counting faces; <see cref="FaceApiAnnotator"/> always labels it.</summary>
    public const string Attribute = "faces";

    /// <summary>No face scored above the detector's threshold.</summary>
    public const string NoFace = "no face";

    /// <summary>Exactly one face: the only case in which perceived attributes are labelled.</summary>
    public const string OneFace = "one face";

    /// <summary>Two or more faces.</summary>
    public const string SeveralFaces = "several faces";

    /// <summary>The evidence when the sample's output is text, not an image reference.</summary>
    public const string NotAnImage = "the output is not an image";

    /// <summary>Every attribute unknown because the output is not an image.</summary>
    public static IReadOnlyList<Annotation> NotAnImageLabels(IEnumerable<string> attributes) =>
        [.. attributes.Select(a => new Annotation(a, DemographicAttribute.Unknown, NotAnImage))];

    /// <summary>The <c>faces</c> label for <paramref name="count"/> faces.</summary>
    public static string Count(int count) => count switch { 0 => NoFace, 1 => OneFace, _ => SeveralFaces };

    /// <summary>Every face with its box and score, e.g. <c>2 faces: (413,355) 178×238 score 0.995; …</c> (at most 300 characters).</summary>
    public static string Describe(IReadOnlyList<DetectedFace> faces)
    {
        if (faces.Count == 0) return $"no face scored above {FaceDetector.MinConfidence}";
        var text = new StringBuilder(faces.Count == 1 ? "1 face: " : $"{faces.Count} faces: ").AppendJoin("; ", faces);
        return text.Length <= 300 ? text.ToString() : text.ToString(0, 297) + "...";
    }

    /// <summary>Why perceived attributes stay unknown for these faces, or null when there is exactly one.</summary>
    public static string? WhyUnknown(IReadOnlyList<DetectedFace> faces) => faces.Count switch
    {
        0 => "no face detected",
        1 => null,
        _ => $"{faces.Count} faces detected; attributes are labelled only for exactly one face",
    };

    /// <summary>Throws unless the suite's <paramref name="attribute"/> declares every one of <paramref name="needed"/>.</summary>
    internal static void Require(DemographicAttribute attribute, IEnumerable<string> needed, string annotator, string fix)
    {
        var missing = needed.Where(c => !attribute.Categories.Contains(c)).Distinct().ToList();
        if (missing.Count > 0)
            throw new FairscopeException($"{annotator}: the suite's '{attribute.Name}' attribute has categories ({string.Join(", ", attribute.Categories)}) but not {string.Join(", ", missing.Select(m => $"'{m}'"))}; {fix}");
    }
}
