namespace Fairscope;

/// <summary>
/// The three misalignments that explain bias inheritance in "Understanding and Mitigating the Bias Inheritance in
/// LLM-based Data Augmentation on Downstream Tasks" (arXiv 2502.04419) — values, group data and data distribution —
/// as plain functions of per-document average counts (see <see cref="InheritanceFeatures"/>), and the mixture rule
/// that gives a mix's statistics from the two sets'.
/// </summary>
public static class Misalignment
{
    /// <summary>
    /// Per-document averages of a mix whose share <paramref name="ratio"/> (the bias ratio γ) of documents is augmented:
    /// <c>m_γ = (1 − γ)·m_orig + γ·m_aug</c>. A ratio of such averages (a group's share, a word's share, a negative-cue
    /// share) is then the mix's exact statistic, e.g. the share of group k is
    /// <c>((1 − γ)·c_orig,k/N_orig + γ·c_aug,k/N_aug) / Σ_j ((1 − γ)·c_orig,j/N_orig + γ·c_aug,j/N_aug)</c>.
    /// </summary>
    public static double[] Mix(ReadOnlySpan<double> original, ReadOnlySpan<double> augmented, double ratio)
    {
        if (original.Length != augmented.Length) throw new ArgumentException("the two sets' averages differ in length");
        var mix = new double[original.Length];
        for (var i = 0; i < mix.Length; i++) mix[i] = (1 - ratio) * original[i] + ratio * augmented[i];
        return mix;
    }

    /// <summary>The counts normalised to shares; null when they sum to zero.</summary>
    public static double[]? Shares(ReadOnlySpan<double> counts)
    {
        double total = 0;
        foreach (var c in counts) total += c;
        if (total <= 0) return null;
        var shares = new double[counts.Length];
        for (var i = 0; i < shares.Length; i++) shares[i] = counts[i] / total;
        return shares;
    }

    /// <summary>Group-data or distribution misalignment: the Jensen–Shannon divergence (bits, <see cref="BiasMetrics.JensenShannon"/>)
    /// between the shares of two count blocks; NaN when either block is empty.</summary>
    public static double JensenShannon(ReadOnlySpan<double> x, ReadOnlySpan<double> y) =>
        Shares(x) is { } p && Shares(y) is { } q ? BiasMetrics.JensenShannon(p, q) : double.NaN;

    /// <summary>Group-data misalignment: the total-variation distance (<see cref="BiasMetrics.TotalVariation"/>) between the
    /// shares of two count blocks — the share of documents that would have to change group; NaN when either block is empty.</summary>
    public static double TotalVariation(ReadOnlySpan<double> x, ReadOnlySpan<double> y) =>
        Shares(x) is { } p && Shares(y) is { } q ? BiasMetrics.TotalVariation(p, q) : double.NaN;

    /// <summary>A group's negative share <c>neg / (pos + neg)</c> of the evaluative cues in sentences about it (the story-generation
    /// measure of arXiv 2502.04419, the share of negative adjectives per group); NaN without cues.</summary>
    public static double NegativeShare(double positive, double negative) => positive + negative > 0 ? negative / (positive + negative) : double.NaN;

    /// <summary>Values misalignment: the largest <c>|r_x(g) − r_y(g)|</c> over groups g whose negative share r is defined in both;
    /// <paramref name="x"/> and <paramref name="y"/> hold (positive, negative) cue averages per group, interleaved. 0 when both
    /// sets speak of every group alike, 1 when one is all praise and the other all blame; NaN when no group has cues in both.</summary>
    public static double ValuesGap(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length || x.Length % 2 != 0) throw new ArgumentException("values blocks must be (positive, negative) pairs of equal length");
        var gap = double.NaN;
        for (var g = 0; g < x.Length; g += 2)
        {
            var d = Math.Abs(NegativeShare(x[g], x[g + 1]) - NegativeShare(y[g], y[g + 1]));
            if (!double.IsNaN(d)) gap = double.IsNaN(gap) ? d : Math.Max(gap, d);
        }
        return gap;
    }

    /// <summary>The largest ratio of <paramref name="ratios"/> (ascending) such that <paramref name="misalignment"/> is at most
    /// <paramref name="threshold"/> at it and at every smaller ratio; undefined (NaN) values count as over the threshold. Null when
    /// even the first ratio is over.</summary>
    public static double? RecommendedRatio(IReadOnlyList<double> ratios, IReadOnlyList<double> misalignment, double threshold)
    {
        double? best = null;
        for (var i = 0; i < ratios.Count; i++)
        {
            if (!(misalignment[i] <= threshold)) break;
            best = ratios[i];
        }
        return best;
    }
}
