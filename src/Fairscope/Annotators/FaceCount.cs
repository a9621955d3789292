namespace Fairscope;

/// <summary>
/// The <c>faces</c> attribute of an image: how many faces it shows, as a label, so that an image with no face or
/// with several faces is a counted outcome rather than a failure. Image annotators label the perceived attributes of
/// one person only when the image shows exactly one face; otherwise those attributes are
/// <see cref="DemographicAttribute.Unknown"/> (the U-MLLM benchmark, arXiv 2502.03429, excludes faceless images
/// from its frequencies and reports their count).
/// </summary>
public static class FaceCount
{
    /// <summary>The attribute's name.</summary>
    public const string Attribute = "faces";

    /// <summary>No face visible.</summary>
    public const string None = "no face";

    /// <summary>Exactly one face visible.</summary>
    public const string One = "one face";

    /// <summary>Two or more faces visible.</summary>
    public const string Several = "several faces";

    /// <summary>The label for <paramref name="faces"/> visible faces.</summary>
    public static string Label(int faces) => faces switch
    {
        < 0 => throw new ArgumentOutOfRangeException(nameof(faces), faces, "a face count is 0 or more"),
        0 => None,
        1 => One,
        _ => Several,
    };
}
