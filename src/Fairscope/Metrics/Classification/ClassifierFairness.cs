namespace Fairscope;

/// <summary>
/// A multi-class classifier's accuracy and group gaps over all its classes, as the bias-inheritance laboratory reports
/// them for occupation-from-biography (De-Arteaga et al. 2019, "Bias in Bios"; "Understanding and Mitigating the Bias
/// Inheritance in LLM-based Data Augmentation", arXiv 2502.04419):
/// <list type="bullet">
/// <item>accuracy, overall and per group;</item>
/// <item>mean TPR gap: for each class c, <c>max_g TPR_{g,c} − min_g TPR_{g,c}</c>, averaged over the classes every group has
/// rows of (the per-class gap is <see cref="FairnessMetrics.TruePositiveRateGap"/>);</item>
/// <item>mean demographic-parity difference: for each predicted class c, <c>max_g P(ŷ=c|g) − min_g P(ŷ=c|g)</c>, averaged over
/// the classes (<see cref="FairnessMetrics.DemographicParityDifference"/>).</item>
/// </list>
/// Intervals are seeded percentile-bootstrap intervals that resample rows within each group (group sizes fixed).
/// Rows whose group is <see cref="DemographicAttribute.Unknown"/> count towards overall accuracy only.
/// </summary>
public static class ClassifierFairness
{
    /// <summary>Measures <paramref name="predicted"/> against <paramref name="truth"/> for rows in <paramref name="groups"/>.</summary>
    public static ClassifierFairnessResult Analyze(IReadOnlyList<string> truth, IReadOnlyList<string> predicted, IReadOnlyList<string> groups,
        Bootstrap bootstrap)
    {
        if (truth.Count != predicted.Count || truth.Count != groups.Count)
            throw new ArgumentException($"rows differ in length: {truth.Count} true, {predicted.Count} predicted, {groups.Count} groups");
        var classes = truth.Distinct().Order(StringComparer.Ordinal).ToArray();
        var rowsByGroup = Enumerable.Range(0, truth.Count).GroupBy(i => groups[i]).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray());
        var known = rowsByGroup.Keys.Where(g => g != DemographicAttribute.Unknown).ToArray();

        // Layout: overall accuracy, accuracy per known group, mean TPR gap, mean DP difference, TPR gap per class.
        double[] Statistics(Func<int[], int[]> select)
        {
            var chosen = rowsByGroup.ToDictionary(g => g.Key, g => select(g.Value));
            var all = chosen.Values.SelectMany(r => r).ToArray();
            var values = new List<double> { Accuracy(all) };
            values.AddRange(known.Select(g => Accuracy(chosen[g])));
            var tprGaps = classes.Select(c => Gap(known.Select(g => Rate(chosen[g].Where(i => truth[i] == c), i => predicted[i] == c)))).ToArray();
            var dpGaps = classes.Select(c => Gap(known.Select(g => Rate(chosen[g], i => predicted[i] == c)))).ToArray();
            values.Add(Mean(tprGaps));
            values.Add(Mean(dpGaps));
            values.AddRange(tprGaps);
            return [.. values];
        }
        double Accuracy(IEnumerable<int> rows) => Rate(rows, i => predicted[i] == truth[i]);

        var point = Statistics(rows => rows);
        var replicates = bootstrap.Replicates(random => Statistics(rows => Enumerable.Range(0, rows.Length).Select(_ => rows[random.Next(rows.Length)]).ToArray()));
        Estimate At(int k) => bootstrap.Estimate(point[k], replicates.Select(r => r[k]).ToArray());
        int g0 = 1, afterGroups = 1 + known.Length;
        return new ClassifierFairnessResult(
            At(0),
            known.Select((g, k) => (g, At(g0 + k))).ToDictionary(x => x.g, x => x.Item2),
            At(afterGroups),
            At(afterGroups + 1),
            classes.Select((c, k) => (c, point[afterGroups + 2 + k])).ToDictionary(x => x.c, x => double.IsFinite(x.Item2) ? (double?)x.Item2 : null),
            truth.Count);
    }

    private static double Rate(IEnumerable<int> rows, Func<int, bool> hit)
    {
        int n = 0, hits = 0;
        foreach (var i in rows)
        {
            n++;
            if (hit(i)) hits++;
        }
        return n == 0 ? double.NaN : (double)hits / n;
    }

    // max − min over groups; undefined when a group has no rows for it (a gap against nothing is not 0).
    private static double Gap(IEnumerable<double> perGroup)
    {
        var values = perGroup.ToArray();
        return values.Length < 2 || values.Any(double.IsNaN) ? double.NaN : values.Max() - values.Min();
    }

    private static double Mean(double[] values)
    {
        var defined = values.Where(double.IsFinite).ToArray();
        return defined.Length == 0 ? double.NaN : defined.Average();
    }
}
