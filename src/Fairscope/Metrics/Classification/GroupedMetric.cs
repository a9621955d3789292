namespace Fairscope;

/// <summary>
/// A metric disaggregated by group, after Fairlearn's MetricFrame: the metric is a plain function of
/// (true labels, predicted labels) that never sees groups; this type splits the rows by a sensitive feature and
/// reports <see cref="Overall"/>, <see cref="ByGroup"/>, and the between-group <see cref="Difference"/>
/// (max − min) and <see cref="Ratio"/> (min / max), each with a seeded percentile-bootstrap interval that resamples
/// rows within each group. A comparison is undefined when any group's value is (a resample without positives).
/// </summary>
public sealed class GroupedMetric
{
    private readonly Func<IReadOnlyList<string>, IReadOnlyList<string>, double> _metric;
    private readonly Dictionary<string, int[]> _rowsByGroup;
    private readonly IReadOnlyList<string> _truth, _predicted;
    private readonly Bootstrap _bootstrap;

    /// <summary>Groups <paramref name="truth"/>/<paramref name="predicted"/> rows by <paramref name="groups"/>.</summary>
    public GroupedMetric(Func<IReadOnlyList<string>, IReadOnlyList<string>, double> metric, IReadOnlyList<string> truth,
        IReadOnlyList<string> predicted, IReadOnlyList<string> groups, Bootstrap bootstrap)
    {
        if (truth.Count != predicted.Count || truth.Count != groups.Count)
            throw new ArgumentException($"rows differ in length: {truth.Count} true, {predicted.Count} predicted, {groups.Count} groups");
        _metric = metric;
        (_truth, _predicted, _bootstrap) = (truth, predicted, bootstrap);
        _rowsByGroup = Enumerable.Range(0, groups.Count).GroupBy(i => groups[i]).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray());
        var point = Evaluate(rows => rows);
        var replicates = bootstrap.Replicates(random => Evaluate(rows => Enumerable.Range(0, rows.Length).Select(_ => rows[random.Next(rows.Length)]).ToArray()));
        Estimate At(int k) => bootstrap.Estimate(point[k], replicates.Select(r => r[k]).ToArray());
        var groupNames = _rowsByGroup.Keys.ToList();
        ByGroup = groupNames.Select((g, i) => (g, At(i))).ToDictionary(x => x.g, x => x.Item2);
        Overall = At(groupNames.Count);
        Difference = At(groupNames.Count + 1);
        Ratio = At(groupNames.Count + 2);
    }

    /// <summary>The metric on all rows.</summary>
    public Estimate Overall { get; }

    /// <summary>The metric on each group's rows.</summary>
    public IReadOnlyDictionary<string, Estimate> ByGroup { get; }

    /// <summary>Largest minus smallest group value; 0 means no disparity.</summary>
    public Estimate Difference { get; }

    /// <summary>Smallest over largest group value; 1 means no disparity (undefined when the largest is 0).</summary>
    public Estimate Ratio { get; }

    // Layout: one value per group, then overall, difference, ratio. The row selection is applied to each group
    // separately, so resamples keep every group's size (stratified bootstrap).
    private double[] Evaluate(Func<int[], int[]> select)
    {
        var values = new List<double>();
        var all = new List<int>();
        foreach (var rows in _rowsByGroup.Values)
        {
            var chosen = select(rows);
            all.AddRange(chosen);
            values.Add(_metric(chosen.Select(i => _truth[i]).ToList(), chosen.Select(i => _predicted[i]).ToList()));
        }
        // Undefined for a group (e.g. no positive rows in a resample) makes the between-group comparison undefined:
        // dropping the group would narrow the intervals.
        var perGroup = values.ToList();
        var undefined = perGroup.Any(double.IsNaN);
        values.Add(_metric(all.Select(i => _truth[i]).ToList(), all.Select(i => _predicted[i]).ToList()));
        values.Add(undefined ? double.NaN : perGroup.Max() - perGroup.Min());
        values.Add(undefined || perGroup.Max() == 0 ? double.NaN : perGroup.Min() / perGroup.Max());
        return [.. values];
    }
}
