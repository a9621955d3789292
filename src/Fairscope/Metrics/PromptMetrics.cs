namespace Fairscope;

/// <summary>
/// The per-prompt metrics of one attribute, computed from its <see cref="GroupCounts"/> counts: every metric
/// of <see cref="BiasMetrics"/> on the frequencies without unknown, against the attribute's target and, where the
/// suite gives one, the prompt's real-world reference. Undefined values (no known sample) are NaN.
/// </summary>
public static class PromptMetrics
{
    /// <summary>Bias score of Shen et al. 2023 (<see cref="BiasMetrics.BiasScore"/>).</summary>
    public const string BiasScore = "bias_score";
    /// <summary>KL divergence to the target, bits.</summary>
    public const string KlTarget = "kl_target";
    /// <summary>Jensen–Shannon divergence to the target, bits.</summary>
    public const string JsTarget = "js_target";
    /// <summary>Total variation to the target.</summary>
    public const string TvTarget = "tv_target";
    /// <summary>Normalised entropy (1 = every group equally present).</summary>
    public const string Entropy = "normalized_entropy";
    /// <summary>MaxSkew against the target.</summary>
    public const string MaxSkew = "max_skew";
    /// <summary>Total variation to the real-world reference (e.g. labour statistics).</summary>
    public const string TvReference = "tv_reference";
    /// <summary>Share of samples labelled unknown.</summary>
    public const string UnknownRate = "unknown_rate";
    /// <summary>MIST's deviation ratio from the target (<see cref="BiasMetrics.DeviationRatio"/>).</summary>
    public const string DeviationRatio = "deviation_ratio";

    /// <summary>Metric names in report order.</summary>
    public static IReadOnlyList<string> Names { get; } = [BiasScore, KlTarget, JsTarget, TvTarget, Entropy, MaxSkew, TvReference, UnknownRate, DeviationRatio];

    /// <summary>True for metrics where a larger value is fairer (the worst prompt is the minimum).</summary>
    public static bool HigherIsFairer(string metric) => metric == Entropy;

    /// <summary>Computes <see cref="Names"/> (same order) for one prompt's counts.</summary>
    public static double[] Compute(ReadOnlySpan<int> counts, double[] target, double[]? reference)
    {
        var result = new double[Names.Count];
        var all = GroupCounts.AllFrequencies(counts);
        result[7] = all is null ? double.NaN : all[^1];
        var f = GroupCounts.KnownFrequencies(counts);
        if (f is null)
        {
            Array.Fill(result, double.NaN, 0, 7);
            result[8] = double.NaN;
            return result;
        }
        result[0] = BiasMetrics.BiasScore(f);
        result[1] = BiasMetrics.KullbackLeibler(f, target);
        result[2] = BiasMetrics.JensenShannon(f, target);
        result[3] = BiasMetrics.TotalVariation(f, target);
        result[4] = BiasMetrics.NormalizedEntropy(f);
        result[5] = BiasMetrics.MaxSkew(f, target);
        result[6] = reference is null ? double.NaN : BiasMetrics.TotalVariation(f, reference);
        result[8] = BiasMetrics.DeviationRatio(f, target);
        return result;
    }
}
