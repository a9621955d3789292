namespace Fairscope;

/// <summary>One training example of a mix, with where it came from.</summary>
public sealed record MixedExample<T>(T Item, bool Augmented);

/// <summary>
/// Training mixes for the bias-inheritance experiment ("Understanding and Mitigating the Bias Inheritance in
/// LLM-based Data Augmentation", arXiv 2502.04419): <c>size</c> examples of which exactly round(γ·size) come from the
/// LLM-augmented set (the bias ratio γ) and the rest from the original set, each drawn without replacement, shuffled,
/// and deterministic for a seed.
/// </summary>
public static class BiasRatioMix
{
    /// <summary>Draws the mix; throws when either source has too few examples for its share.</summary>
    public static IReadOnlyList<MixedExample<T>> Create<T>(IReadOnlyList<T> original, IReadOnlyList<T> augmented, double ratio, int size, int seed)
    {
        if (ratio is < 0 or > 1 || double.IsNaN(ratio)) throw new FairscopeException($"bias ratio must be between 0 and 1, not {ratio}");
        if (size < 1) throw new FairscopeException($"mix size must be at least 1, not {size}");
        // In decimal: 0.29 × 50 is 14.499… in binary floating point, and must round to 15.
        var fromAugmented = (int)Math.Round((decimal)ratio * size, MidpointRounding.AwayFromZero);
        var fromOriginal = size - fromAugmented;
        if (fromAugmented > augmented.Count || fromOriginal > original.Count)
            throw new FairscopeException($"a mix of {size} at ratio {ratio} needs {fromOriginal} original and {fromAugmented} augmented examples; there are {original.Count} and {augmented.Count}");
        var random = new Random(seed);
        var mix = Sample(random, original, fromOriginal).Select(x => new MixedExample<T>(x, false))
            .Concat(Sample(random, augmented, fromAugmented).Select(x => new MixedExample<T>(x, true))).ToArray();
        random.Shuffle(mix);
        return mix;
    }

    private static IEnumerable<T> Sample<T>(Random random, IReadOnlyList<T> items, int count)
    {
        var indices = Enumerable.Range(0, items.Count).ToArray();
        random.Shuffle(indices);
        return indices.Take(count).Select(i => items[i]);
    }
}
