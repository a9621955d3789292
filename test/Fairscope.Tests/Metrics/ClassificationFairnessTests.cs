namespace Fairscope.Tests;

public sealed class ClassificationFairnessTests
{
    // Eight biographies: four of women (f), four of men (m).
    private static readonly string[] Groups = ["f", "f", "f", "f", "m", "m", "m", "m"];
    private static readonly string[] Truth = ["nurse", "nurse", "doc", "doc", "nurse", "doc", "doc", "doc"];
    private static readonly string[] Predicted = ["nurse", "nurse", "nurse", "doc", "doc", "doc", "doc", "nurse"];
    private static readonly Bootstrap Resampling = new(500, 0.95, 11);
    private const int Digits = 9;

    [Fact]
    public void AccuracyByGroupDifferenceAndRatio()
    {
        var accuracy = new GroupedMetric(ClassificationMetrics.Accuracy, Truth, Predicted, Groups, Resampling);
        // f: rows 0–3 correct, correct, wrong, correct = 3/4; m: wrong, correct, correct, wrong = 2/4; overall 5/8.
        Assert.Equal(0.75, accuracy.ByGroup["f"].Value!.Value, Digits);
        Assert.Equal(0.5, accuracy.ByGroup["m"].Value!.Value, Digits);
        Assert.Equal(0.625, accuracy.Overall.Value!.Value, Digits);
        Assert.Equal(0.25, accuracy.Difference.Value!.Value, Digits);
        Assert.Equal(0.5 / 0.75, accuracy.Ratio.Value!.Value, Digits);
        Assert.InRange(0.625, accuracy.Overall.CiLow!.Value, accuracy.Overall.CiHigh!.Value);
    }

    [Fact]
    public void TruePositiveRateGapOfNurse()
    {
        // TPR(nurse): f has nurses at rows 0, 1, both predicted nurse → 1; m has one nurse (row 4), predicted doc → 0.
        Assert.Equal(1.0, FairnessMetrics.TruePositiveRateGap(Truth, Predicted, Groups, "nurse", Resampling).Value!.Value, Digits);
    }

    [Fact]
    public void DemographicParityAndDisparateImpact()
    {
        // Selection rate of "nurse": f rows 0, 1, 2 → 3/4; m row 7 → 1/4. Difference 1/2; ratio (1/4)/(3/4) = 1/3.
        Assert.Equal(0.5, FairnessMetrics.DemographicParityDifference(Truth, Predicted, Groups, "nurse", Resampling).Value!.Value, Digits);
        Assert.Equal(1.0 / 3, FairnessMetrics.DisparateImpact(Truth, Predicted, Groups, "nurse", Resampling).Value!.Value, Digits);
    }

    [Fact]
    public void EqualizedOddsIsTheLargerOfTheTprAndFprGaps()
    {
        // FPR(nurse): f non-nurses rows 2, 3 → row 2 predicted nurse → 1/2; m non-nurses rows 5, 6, 7 → row 7 → 1/3.
        // FPR gap 1/6, TPR gap 1 → equalised-odds difference 1.
        Assert.Equal(0.5 - 1.0 / 3, new GroupedMetric(ClassificationMetrics.FalsePositiveRate("nurse"), Truth, Predicted, Groups, Resampling).Difference.Value!.Value, Digits);
        Assert.Equal(1.0, FairnessMetrics.EqualizedOddsDifference(Truth, Predicted, Groups, "nurse"), Digits);
    }

    [Fact]
    public void ReweighingMakesGroupAndLabelIndependent()
    {
        // P(f) = P(m) = 1/2, P(nurse) = 3/8, P(doc) = 5/8; P(f,nurse) = 2/8, P(f,doc) = 2/8, P(m,nurse) = 1/8, P(m,doc) = 3/8.
        // w(f,nurse) = ½·⅜/¼ = 0.75, w(f,doc) = ½·⅝/¼ = 1.25, w(m,nurse) = ½·⅜/⅛ = 1.5, w(m,doc) = ½·⅝/⅜ = 5/6.
        var w = FairnessMetrics.ReweighingWeights(Truth, Groups);
        Assert.Equal([0.75, 0.75, 1.25, 1.25, 1.5, 5.0 / 6, 5.0 / 6, 5.0 / 6], w.Select(x => Math.Round(x, 9)).ToArray(), (a, b) => Math.Abs(a - b) < 1e-9);
        // Weighted P(nurse | f) = 1.5 / 4 = 3/8 = P(nurse), and the same for m: (1.5) / (1.5 + 2.5) = 3/8.
        double WeightedNurseShare(string g) => Enumerable.Range(0, 8).Where(i => Groups[i] == g && Truth[i] == "nurse").Sum(i => w[i])
            / Enumerable.Range(0, 8).Where(i => Groups[i] == g).Sum(i => w[i]);
        Assert.Equal(0.375, WeightedNurseShare("f"), Digits);
        Assert.Equal(0.375, WeightedNurseShare("m"), Digits);
    }

    [Fact]
    public void SameSeedSameIntervals()
    {
        var a = new GroupedMetric(ClassificationMetrics.Accuracy, Truth, Predicted, Groups, Resampling);
        var b = new GroupedMetric(ClassificationMetrics.Accuracy, Truth, Predicted, Groups, Resampling);
        Assert.Equal(a.Difference, b.Difference);
        Assert.Equal(a.ByGroup["m"], b.ByGroup["m"]);
    }

    [Fact]
    public void UndefinedRatesAreNotNumbers()
    {
        // No group has a true "pilot", so its TPR is undefined everywhere.
        var tpr = new GroupedMetric(ClassificationMetrics.TruePositiveRate("pilot"), Truth, Predicted, Groups, Resampling);
        Assert.Null(tpr.ByGroup["f"].Value);
        Assert.Null(tpr.Difference.Value);
        Assert.Throws<ArgumentException>(() => new GroupedMetric(ClassificationMetrics.Accuracy, Truth, Predicted, ["f"], Resampling));
    }

    [Fact]
    public void AGroupWithoutAValueMakesTheComparisonUndefined()
    {
        // Only f has a true nurse: m's TPR(nurse) is undefined, so the gap is too (dropping m would report 0).
        string[] truth = ["nurse", "doc", "doc", "doc"], predicted = ["nurse", "doc", "doc", "nurse"], groups = ["f", "f", "m", "m"];
        var tpr = new GroupedMetric(ClassificationMetrics.TruePositiveRate("nurse"), truth, predicted, groups, Resampling);
        Assert.Equal(1.0, tpr.ByGroup["f"].Value);
        Assert.Null(tpr.ByGroup["m"].Value);
        Assert.Null(tpr.Difference.Value);
    }
}
