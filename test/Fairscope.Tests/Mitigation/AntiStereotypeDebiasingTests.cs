namespace Fairscope.Tests;

public sealed class AntiStereotypeDebiasingTests
{
    // Nurses: 3 women, 1 man. Pilots: 1 woman, 1 man. Desired: uniform gender.
    private static readonly (string, string)[] Examples =
        [("nurse", "female"), ("nurse", "female"), ("nurse", "female"), ("nurse", "male"), ("pilot", "female"), ("pilot", "male")];
    private static readonly Dictionary<string, double> Uniform = new() { ["female"] = 0.5, ["male"] = 0.5 };

    [Fact]
    public void SkewsAndLossWeightsByHand()
    {
        var asd = new AntiStereotypeDebiasing(Examples, Uniform);
        // nurse/female: ln(0.75 / 0.5) = ln 1.5 = 0.405465; nurse/male: ln(0.25 / 0.5) = ln 0.5 = −0.693147; pilots: ln 1 = 0.
        Assert.Equal(Math.Log(1.5), asd.Skews[0], 12);
        Assert.Equal(Math.Log(0.5), asd.Skews[3], 12);
        Assert.Equal(0.0, asd.Skews[4], 12);
        // Weights exp(−skew): 2/3 for each female nurse, 2 for the male nurse; nurses' weighted genders balance: 3 × 2/3 = 1 × 2.
        Assert.Equal(2.0 / 3, asd.LossWeights[0], 12);
        Assert.Equal(2.0, asd.LossWeights[3], 12);
        Assert.Equal(3 * asd.LossWeights[0], asd.LossWeights[3], 12);
    }

    [Fact]
    public void UnderRepresentedExamplesAreDuplicatedWhenTheirAccumulatorPassesTau2()
    {
        var asd = new AntiStereotypeDebiasing(Examples, Uniform);
        var random = new Random(1);
        // The male nurse accumulates ln 2 = 0.693 per epoch (τ2 = 1):
        // epoch 1: 0.693 → once; epoch 2: 1.386 → twice, 0.386 carries; epoch 3: 1.079 → twice, 0.079 carries; epoch 4: 0.772 → once.
        Assert.Single(asd.NextEpoch(random), i => i == 3);
        Assert.Equal(2, asd.NextEpoch(random).Count(i => i == 3));
        Assert.Equal(2, asd.NextEpoch(random).Count(i => i == 3));
        Assert.Single(asd.NextEpoch(random), i => i == 3);
    }

    [Fact]
    public void OverRepresentedExamplesAreDroppedAtTheStatedRate()
    {
        var asd = new AntiStereotypeDebiasing(Examples, Uniform);
        var random = new Random(2);
        const int Epochs = 20_000;
        var kept = Enumerable.Range(0, Epochs).Sum(_ => asd.NextEpoch(random).Count(i => i == 0));
        // Drop probability ln1.5 / (ln1.5 + 1) = 0.288578; kept share 0.711422, binomial SE 0.0032 → allow 4 SE.
        Assert.InRange(kept / (double)Epochs, 0.711422 - 0.013, 0.711422 + 0.013);
        Assert.Equal(Epochs, Enumerable.Range(0, Epochs).Sum(_ => asd.NextEpoch(random).Count(i => i == 4))); // skew 0: always kept once
    }

    [Fact]
    public void ValuesWithoutADesiredShareAreRejected()
    {
        Assert.Throws<FairscopeException>(() => new AntiStereotypeDebiasing([("nurse", "nonbinary")], Uniform));
        Assert.Throws<FairscopeException>(() => new AntiStereotypeDebiasing(Examples, Uniform, tau1: 0));
    }

    [Fact]
    public void DesiredSharesMustSumToOne()
    {
        var unnormalised = new Dictionary<string, double> { ["female"] = 1, ["male"] = 1 };
        Assert.Contains("sum to 1", Assert.Throws<FairscopeException>(() => new AntiStereotypeDebiasing(Examples, unnormalised)).Message);
    }
}
