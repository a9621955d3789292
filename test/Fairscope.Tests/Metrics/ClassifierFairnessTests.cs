namespace Fairscope.Tests;

public sealed class ClassifierFairnessTests
{
    [Fact]
    public void GapsAndAccuraciesMatchHandValues()
    {
        // Group f: truth a a b b, predicted a a b a → accuracy 3/4, TPR(a) 2/2, TPR(b) 1/2, P(ŷ=a) 3/4, P(ŷ=b) 1/4.
        // Group m: truth a a b b, predicted a b b b → accuracy 3/4, TPR(a) 1/2, TPR(b) 2/2, P(ŷ=a) 1/4, P(ŷ=b) 3/4.
        // TPR gaps: a 0.5, b 0.5 → mean 0.5. DP differences: a 0.5, b 0.5 → mean 0.5.
        // The unknown-group row (truth a, predicted b) counts only towards overall accuracy: 6/9.
        string[] truth = ["a", "a", "b", "b", "a", "a", "b", "b", "a"];
        string[] predicted = ["a", "a", "b", "a", "a", "b", "b", "b", "b"];
        string[] groups = ["f", "f", "f", "f", "m", "m", "m", "m", DemographicAttribute.Unknown];

        var result = ClassifierFairness.Analyze(truth, predicted, groups, new Bootstrap(200, Seed: 1));

        Assert.Equal(6.0 / 9, result.Accuracy.Value!.Value, 12);
        Assert.Equal(["f", "m"], result.AccuracyByGroup.Keys.Order());
        Assert.All(result.AccuracyByGroup.Values, e => Assert.Equal(0.75, e.Value!.Value, 12));
        Assert.Equal(0.5, result.MeanTprGap.Value!.Value, 12);
        Assert.Equal(0.5, result.MeanDemographicParityDifference.Value!.Value, 12);
        Assert.Equal(0.5, result.TprGapByClass["a"]!.Value, 12);
        Assert.Equal(9, result.Rows);
        Assert.True(result.MeanTprGap.CiLow <= 0.5 && result.MeanTprGap.CiHigh >= 0.5);
    }

    [Fact]
    public void APerfectClassifierHasNoGaps()
    {
        string[] truth = ["a", "b", "a", "b"];
        var result = ClassifierFairness.Analyze(truth, truth, ["f", "f", "m", "m"], new Bootstrap(100));
        Assert.Equal(1, result.Accuracy.Value);
        Assert.Equal(0, result.MeanTprGap.Value);
        Assert.Equal(0, result.MeanDemographicParityDifference.Value);
    }

    [Fact]
    public void SameSeedSameInterval()
    {
        var random = new Random(3);
        var truth = Enumerable.Range(0, 200).Select(_ => random.Next(3).ToString()).ToArray();
        var predicted = truth.Select(t => random.NextDouble() < 0.7 ? t : random.Next(3).ToString()).ToArray();
        var groups = Enumerable.Range(0, 200).Select(i => i % 2 == 0 ? "f" : "m").ToArray();
        var a = ClassifierFairness.Analyze(truth, predicted, groups, new Bootstrap(300, Seed: 4));
        var b = ClassifierFairness.Analyze(truth, predicted, groups, new Bootstrap(300, Seed: 4));
        Assert.Equal(a.MeanTprGap, b.MeanTprGap);
        Assert.Equal(a.Accuracy, b.Accuracy);
    }
}
