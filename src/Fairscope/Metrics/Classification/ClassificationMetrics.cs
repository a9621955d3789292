namespace Fairscope;

/// <summary>
/// Plain metrics of (true, predicted) labels for the downstream classification task of the bias-inheritance
/// laboratory (occupation from biography, as in Bias in Bios). None of them sees groups: disaggregate them with
/// <see cref="GroupedMetric"/>. Empty inputs, or a rate whose denominator is empty, give NaN.
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>Share of rows predicted correctly.</summary>
    public static double Accuracy(IReadOnlyList<string> truth, IReadOnlyList<string> predicted) =>
        truth.Count == 0 ? double.NaN : (double)truth.Where((t, i) => t == predicted[i]).Count() / truth.Count;

    /// <summary>True-positive rate (recall) of <paramref name="positive"/>: P(ŷ = c | y = c).</summary>
    public static Func<IReadOnlyList<string>, IReadOnlyList<string>, double> TruePositiveRate(string positive) => (truth, predicted) =>
    {
        var actual = Enumerable.Range(0, truth.Count).Where(i => truth[i] == positive).ToList();
        return actual.Count == 0 ? double.NaN : (double)actual.Count(i => predicted[i] == positive) / actual.Count;
    };

    /// <summary>False-positive rate of <paramref name="positive"/>: P(ŷ = c | y ≠ c).</summary>
    public static Func<IReadOnlyList<string>, IReadOnlyList<string>, double> FalsePositiveRate(string positive) => (truth, predicted) =>
    {
        var others = Enumerable.Range(0, truth.Count).Where(i => truth[i] != positive).ToList();
        return others.Count == 0 ? double.NaN : (double)others.Count(i => predicted[i] == positive) / others.Count;
    };

    /// <summary>Selection rate of <paramref name="positive"/>: P(ŷ = c), whatever the truth.</summary>
    public static Func<IReadOnlyList<string>, IReadOnlyList<string>, double> SelectionRate(string positive) => (_, predicted) =>
        predicted.Count == 0 ? double.NaN : (double)predicted.Count(p => p == positive) / predicted.Count;
}
