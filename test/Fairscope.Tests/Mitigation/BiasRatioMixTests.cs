namespace Fairscope.Tests;

public sealed class BiasRatioMixTests
{
    private static readonly int[] Original = Enumerable.Range(0, 100).ToArray();
    private static readonly int[] Augmented = Enumerable.Range(1000, 100).ToArray();

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.1, 5)]
    [InlineData(0.25, 13)] // 12.5 rounds away from zero
    [InlineData(0.5, 25)]
    [InlineData(1.0, 50)]
    public void TheMixHoldsExactlyTheRatioOfAugmentedExamples(double ratio, int augmented)
    {
        var mix = BiasRatioMix.Create(Original, Augmented, ratio, 50, seed: 1);
        Assert.Equal(50, mix.Count);
        Assert.Equal(augmented, mix.Count(m => m.Augmented));
        Assert.All(mix, m => Assert.Equal(m.Augmented, m.Item >= 1000)); // provenance matches the source
        Assert.Equal(50, mix.Select(m => m.Item).Distinct().Count()); // without replacement
    }

    [Fact]
    public void SameSeedSameMixAndTooSmallSourcesAreRejected()
    {
        Assert.Equal(BiasRatioMix.Create(Original, Augmented, 0.3, 40, 7), BiasRatioMix.Create(Original, Augmented, 0.3, 40, 7));
        Assert.NotEqual(BiasRatioMix.Create(Original, Augmented, 0.3, 40, 7), BiasRatioMix.Create(Original, Augmented, 0.3, 40, 8));
        Assert.Contains("needs", Assert.Throws<FairscopeException>(() => BiasRatioMix.Create(Original, Augmented, 0.9, 150, 1)).Message);
        Assert.Throws<FairscopeException>(() => BiasRatioMix.Create(Original, Augmented, 1.5, 10, 1));
    }

    [Fact]
    public void HalvesRoundAwayFromZeroEvenWhenBinaryFloatingPointMissesThem()
    {
        // 0.29 × 50 is 14.4999… in doubles; the mix must hold round(14.5) = 15 augmented examples.
        Assert.Equal(15, BiasRatioMix.Create(Original, Augmented, 0.29, 50, 1).Count(m => m.Augmented));
    }
}
