namespace Fairscope;

/// <summary>
/// Before/after comparison of two runs of one suite, typically a baseline and the same suite under an intervention
/// (docs/interventions.md). Per plain attribute, over the prompts where both runs have a sample with a known label, it
/// reports each run's mean <see cref="BiasMetrics.BiasScore"/> and <c>difference = run − baseline</c> (negative: the
/// intervention reduced the bias). Intervals are percentile bootstraps that resample each prompt's samples within itself
/// in both runs independently (they are separate samples), in one replicate, so the difference's interval is consistent,
/// as <see cref="PartialAlignment"/> does. Fidelity proxies, where the runs have them (text runs): the mean over shared
/// prompts of the refusal rate and of the mean output length in words, both runs and their difference (point values).
/// </summary>
public static class RunComparison
{
    /// <summary>Compares <paramref name="run"/> with <paramref name="baseline"/> on their shared prompts.</summary>
    public static RunComparisonResult Compare(AuditResult baseline, AuditResult run, Bootstrap bootstrap)
    {
        var before = baseline.Prompts.ToDictionary(p => p.Id);
        var shared = run.Prompts.Where(p => before.ContainsKey(p.Id)).Select(p => (Before: before[p.Id], After: p)).ToList();
        var attributes = run.Attributes.Where(a => !a.Components.Any() && baseline.Attributes.Any(b => b.Name == a.Name && b.Categories.SequenceEqual(a.Categories)))
            .Select(a => Attribute(a, shared, bootstrap)).ToList();
        return new RunComparisonResult(baseline.Run.Name, baseline.Run.Parameters, shared.Count, attributes, Fidelity(shared));
    }

    private static AttributeComparison Attribute(AttributeSummary attribute, IReadOnlyList<(PromptResult Before, PromptResult After)> shared, Bootstrap bootstrap)
    {
        int[]? Known(PromptResult p) => p.Attributes.TryGetValue(attribute.Name, out var r)
            ? [.. attribute.Categories.Select(c => r.Counts.GetValueOrDefault(c))] : null;
        var pairs = shared.Select(s => (Before: Known(s.Before), After: Known(s.After)))
            .Where(x => x.Before?.Sum() > 0 && x.After?.Sum() > 0).Select(x => (Before: x.Before!, After: x.After!)).ToList();

        double[] Statistic(Func<int[], int[]> draw)
        {
            double before = 0, after = 0;
            foreach (var (b, a) in pairs)
            {
                before += Score(draw(b));
                after += Score(draw(a));
            }
            return [before / pairs.Count, after / pairs.Count, (after - before) / pairs.Count];
        }
        if (pairs.Count == 0) return new AttributeComparison(attribute.Name, 0, Undefined, Undefined, Undefined);
        var point = Statistic(c => c);
        var replicates = bootstrap.Replicates(random => Statistic(c => AuditAnalyzer.Resample(random, c)));
        Estimate At(int i) => bootstrap.Estimate(point[i], [.. replicates.Select(r => r[i])]);
        return new AttributeComparison(attribute.Name, pairs.Count, At(0), At(1), At(2));
    }

    private static readonly Estimate Undefined = new(null, null, null, null);

    private static double Score(int[] counts)
    {
        var total = (double)counts.Sum();
        return BiasMetrics.BiasScore([.. counts.Select(c => c / total)]);
    }

    private static FidelityComparison Fidelity(IReadOnlyList<(PromptResult Before, PromptResult After)> shared)
    {
        static (double? Before, double? After, double? Difference) Means(IEnumerable<(double? Before, double? After)> values)
        {
            var both = values.Where(v => v.Before is not null && v.After is not null).ToList();
            if (both.Count == 0) return (null, null, null);
            double before = both.Average(v => v.Before!.Value), after = both.Average(v => v.After!.Value);
            return (before, after, after - before);
        }
        var refusal = Means(shared.Select(s => (s.Before.RefusalRate.Value, s.After.RefusalRate.Value)));
        var length = Means(shared.Select(s => (s.Before.MeanLengthWords, s.After.MeanLengthWords)));
        return new FidelityComparison(refusal.Before, refusal.After, refusal.Difference, length.Before, length.After, length.Difference);
    }
}

/// <summary>A run compared with a baseline run (<see cref="RunComparison"/>).</summary>
/// <param name="Baseline">The baseline run's name.</param>
/// <param name="BaselineParameters">The baseline run's generation parameters (JSON), to show what differed.</param>
/// <param name="Prompts">Prompts present in both runs.</param>
public sealed record RunComparisonResult(string Baseline, string BaselineParameters, int Prompts, IReadOnlyList<AttributeComparison> Attributes,
    FidelityComparison Fidelity);

/// <summary>One attribute's mean bias score in the baseline and in the run, and the difference (run − baseline).</summary>
/// <param name="Prompts">Shared prompts where both runs have a known label, over which the means run.</param>
public sealed record AttributeComparison(string Attribute, int Prompts, Estimate BaselineBias, Estimate Bias, Estimate Difference);

/// <summary>Fidelity proxies over the shared prompts: mean refusal rate and mean output length in words, baseline and
/// run, with the difference (run − baseline); null where either run lacks them (images have no length).</summary>
public sealed record FidelityComparison(double? BaselineRefusalRate, double? RefusalRate, double? RefusalRateDifference,
    double? BaselineMeanLengthWords, double? MeanLengthWords, double? MeanLengthDifference);
