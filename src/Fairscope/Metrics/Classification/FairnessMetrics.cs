namespace Fairscope;

/// <summary>
/// Group-fairness metrics for classifiers, as thin wrappers over <see cref="GroupedMetric"/> (definitions as in
/// Fairlearn and AIF360; the TPR gap as in De-Arteaga et al. 2019, "Bias in Bios"). Each returns an
/// <see cref="Estimate"/> with a bootstrap interval.
/// </summary>
public static class FairnessMetrics
{
    /// <summary>Demographic-parity difference <c>max_g P(ŷ=c|g) − min_g P(ŷ=c|g)</c>; 0 is parity.</summary>
    public static Estimate DemographicParityDifference(IReadOnlyList<string> truth, IReadOnlyList<string> predicted, IReadOnlyList<string> groups,
        string positive, Bootstrap bootstrap) =>
        new GroupedMetric(ClassificationMetrics.SelectionRate(positive), truth, predicted, groups, bootstrap).Difference;

    /// <summary>Disparate impact <c>min_g P(ŷ=c|g) / max_g P(ŷ=c|g)</c>; 1 is parity (the "80% rule" flags &lt; 0.8).</summary>
    public static Estimate DisparateImpact(IReadOnlyList<string> truth, IReadOnlyList<string> predicted, IReadOnlyList<string> groups,
        string positive, Bootstrap bootstrap) =>
        new GroupedMetric(ClassificationMetrics.SelectionRate(positive), truth, predicted, groups, bootstrap).Ratio;

    /// <summary>True-positive-rate gap for class c: <c>max_g TPR_{g,c} − min_g TPR_{g,c}</c> (De-Arteaga et al. 2019 report
    /// the signed female − male gap per occupation; with two groups this is its absolute value).</summary>
    public static Estimate TruePositiveRateGap(IReadOnlyList<string> truth, IReadOnlyList<string> predicted, IReadOnlyList<string> groups,
        string positive, Bootstrap bootstrap) =>
        new GroupedMetric(ClassificationMetrics.TruePositiveRate(positive), truth, predicted, groups, bootstrap).Difference;

    /// <summary>Equalised-odds difference for class c: the larger of the TPR and FPR gaps (Hardt et al. 2016; Fairlearn); 0 is parity.</summary>
    public static double EqualizedOddsDifference(IReadOnlyList<string> truth, IReadOnlyList<string> predicted, IReadOnlyList<string> groups, string positive)
    {
        var noResampling = new Bootstrap(Resamples: 0);
        var tpr = new GroupedMetric(ClassificationMetrics.TruePositiveRate(positive), truth, predicted, groups, noResampling).Difference.Value;
        var fpr = new GroupedMetric(ClassificationMetrics.FalsePositiveRate(positive), truth, predicted, groups, noResampling).Difference.Value;
        return tpr is null || fpr is null ? double.NaN : Math.Max(tpr.Value, fpr.Value);
    }

    /// <summary>Reweighing weights (Kamiran &amp; Calders 2012): <c>w(g, y) = P(g)·P(y) / P(g, y)</c>, which make group and label
    /// independent in the weighted data; one weight per row.</summary>
    public static double[] ReweighingWeights(IReadOnlyList<string> labels, IReadOnlyList<string> groups)
    {
        if (labels.Count != groups.Count) throw new ArgumentException("labels and groups differ in length");
        var n = (double)labels.Count;
        var pg = groups.GroupBy(g => g).ToDictionary(g => g.Key, g => g.Count() / n);
        var py = labels.GroupBy(y => y).ToDictionary(y => y.Key, y => y.Count() / n);
        var pgy = Enumerable.Range(0, labels.Count).GroupBy(i => (groups[i], labels[i])).ToDictionary(g => g.Key, g => g.Count() / n);
        return Enumerable.Range(0, labels.Count).Select(i => pg[groups[i]] * py[labels[i]] / pgy[(groups[i], labels[i])]).ToArray();
    }
}
