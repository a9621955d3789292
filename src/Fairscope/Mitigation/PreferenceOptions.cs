namespace Fairscope;

/// <summary>Fidelity filters and seed of <see cref="PreferencePairs.Synthesize"/>.</summary>
/// <param name="MaxLengthRatio">Largest allowed ratio of the longer answer's word count to the shorter's (2 keeps each
/// answer within 0.5–2× of the other), so that length is not what the pair teaches.</param>
/// <param name="Seed">Seeds the order in which a group's samples are paired: same seed, same pairs.</param>
public sealed record PreferenceOptions(double MaxLengthRatio = 2.0, int Seed = 0)
{
    /// <summary>Throws <see cref="FairscopeException"/> naming the option at fault.</summary>
    public void Validate()
    {
        if (!(MaxLengthRatio >= 1)) throw new FairscopeException($"--max-length-ratio must be at least 1 (2 keeps answers within 0.5–2× of each other), not {MaxLengthRatio}");
    }
}
