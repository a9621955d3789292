namespace Fairscope;

/// <summary>How <see cref="FaceApiAnnotator"/> maps face-api's outputs onto a suite's categories.</summary>
public sealed record FaceApiAnnotatorOptions
{
    /// <summary>The suite's gender category for face-api's "female".</summary>
    public string Female { get; init; } = "female";

    /// <summary>The suite's gender category for face-api's "male".</summary>
    public string Male { get; init; } = "male";

    /// <summary>Age bands in ascending order, the first from 0; by default the built-in age lexicon's
    /// (young &lt; 35 ≤ middle_aged &lt; 65 ≤ older, see <see cref="NumericAgeCues"/>).</summary>
    public IReadOnlyList<AgeBand> AgeBands { get; init; } =
        [new("young", 0), new("middle_aged", NumericAgeCues.YoungBelow), new("older", NumericAgeCues.OlderFrom)];
}
