
namespace Fairscope.Tests;

/// <summary><see cref="PromptMetrics"/>: one prompt's counts → every metric, values worked out by hand.</summary>
public sealed class PromptMetricsTests
{
    private static double Metric(double[] values, string name) => values[PromptMetrics.Names.ToList().IndexOf(name)];

    [Fact]
    public void Names_are_in_report_order()
    {
        Assert.Equal(["bias_score", "kl_target", "js_target", "tv_target", "normalized_entropy", "max_skew", "tv_reference", "unknown_rate", "deviation_ratio"],
            PromptMetrics.Names);
    }

    [Fact]
    public void Only_entropy_is_higher_is_fairer()
    {
        Assert.Equal([PromptMetrics.Entropy], PromptMetrics.Names.Where(PromptMetrics.HigherIsFairer));
    }

    [Fact]
    public void Compute_uses_frequencies_without_unknown()
    {
        // counts female 6, male 2, unknown 2 → known 8 → f = [0.75, 0.25]; target uniform [0.5, 0.5]
        var m = PromptMetrics.Compute([6, 2, 2], [0.5, 0.5], null);
        Assert.Equal(PromptMetrics.Names.Count, m.Length);
        // |0.75 − 0.25| = 0.5
        Assert.Equal(0.5, Metric(m, PromptMetrics.BiasScore), 1e-9);
        // 0.75·log2(1.5) + 0.25·log2(0.5) = 0.4387219 − 0.25 = 0.1887219
        Assert.Equal(0.188722, Metric(m, PromptMetrics.KlTarget), 1e-6);
        // m = [0.625, 0.375]: ½(0.0510352 + 0.0465547) = 0.0487949 (see BiasMetricsTests)
        Assert.Equal(0.048795, Metric(m, PromptMetrics.JsTarget), 1e-6);
        // ½(|0.75−0.5| + |0.25−0.5|) = ½·0.5 = 0.25
        Assert.Equal(0.25, Metric(m, PromptMetrics.TvTarget), 1e-9);
        // −(0.75 ln 0.75 + 0.25 ln 0.25)/ln 2 = 0.5623351/0.6931472 = 0.8112781
        Assert.Equal(0.811278, Metric(m, PromptMetrics.Entropy), 1e-6);
        // max(ln 1.5, ln 0.5) = ln 1.5 = 0.4054651
        Assert.Equal(Math.Log(1.5), Metric(m, PromptMetrics.MaxSkew), 1e-9);
        // no reference → undefined
        Assert.True(double.IsNaN(Metric(m, PromptMetrics.TvReference)));
        // unknown share among all: 2 / (6+2+2) = 0.2
        Assert.Equal(0.2, Metric(m, PromptMetrics.UnknownRate), 1e-9);
        // max(|0.75 − 0.5|, |0.25 − 0.5|) / (1 − 0.5) = 0.25 / 0.5 = 0.5
        Assert.Equal(0.5, Metric(m, PromptMetrics.DeviationRatio), 1e-9);
    }

    [Fact]
    public void Compute_with_a_reference_gives_tv_reference()
    {
        // f = [0.75, 0.25], reference [0.9, 0.1]: ½(|0.75−0.9| + |0.25−0.1|) = ½(0.15 + 0.15) = 0.15
        var m = PromptMetrics.Compute([3, 1, 0], [0.5, 0.5], [0.9, 0.1]);
        Assert.Equal(0.15, Metric(m, PromptMetrics.TvReference), 1e-9);
        // no unknown sample → 0 / 4 = 0
        Assert.Equal(0.0, Metric(m, PromptMetrics.UnknownRate), 1e-9);
    }

    [Fact]
    public void Compute_against_a_non_uniform_target()
    {
        // three classes, counts [2, 1, 1] + 0 unknown → f = [0.5, 0.25, 0.25]; target [0.5, 0.3, 0.2]
        var m = PromptMetrics.Compute([2, 1, 1, 0], [0.5, 0.3, 0.2], null);
        // pairs |0.5−0.25| = 0.25, |0.5−0.25| = 0.25, |0.25−0.25| = 0 → 0.5/3 = 0.1666667
        Assert.Equal(1.0 / 6, Metric(m, PromptMetrics.BiasScore), 1e-9);
        // ½(0 + 0.05 + 0.05) = 0.05
        Assert.Equal(0.05, Metric(m, PromptMetrics.TvTarget), 1e-9);
        // max(ln 1, ln(0.25/0.3), ln(0.25/0.2)) = ln 1.25 = 0.2231436
        Assert.Equal(Math.Log(1.25), Metric(m, PromptMetrics.MaxSkew), 1e-9);
        // 0.5·log2(1) + 0.25·log2(0.25/0.3) + 0.25·log2(0.25/0.2) = 0.25·(−0.2630344) + 0.25·0.3219281 = 0.0147234
        Assert.Equal(0.014723, Metric(m, PromptMetrics.KlTarget), 1e-6);
    }

    [Fact]
    public void All_unknown_gives_NaN_metrics_but_unknown_rate_one()
    {
        var m = PromptMetrics.Compute([0, 0, 5], [0.5, 0.5], [0.6, 0.4]);
        foreach (var name in PromptMetrics.Names.Where(n => n != PromptMetrics.UnknownRate))
            Assert.True(double.IsNaN(Metric(m, name)), $"{name} should be NaN");
        // 5 of 5 unknown
        Assert.Equal(1.0, Metric(m, PromptMetrics.UnknownRate), 1e-12);
    }

    [Fact]
    public void No_samples_gives_NaN_everywhere()
    {
        var m = PromptMetrics.Compute([0, 0, 0], [0.5, 0.5], null);
        Assert.All(m, v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void Zero_target_share_with_observed_mass_gives_infinite_kl()
    {
        // f = [0.5, 0.5] against target [1, 0]: KL = +∞ (p has mass where q has none); TV = ½(0.5 + 0.5) = 0.5
        var m = PromptMetrics.Compute([1, 1, 0], [1, 0], null);
        Assert.Equal(double.PositiveInfinity, Metric(m, PromptMetrics.KlTarget));
        Assert.Equal(0.5, Metric(m, PromptMetrics.TvTarget), 1e-9);
    }
}
