namespace Fairscope;

/// <summary>
/// Bias metrics over one prompt's distribution of perceived groups. Each is a plain function of frequency
/// vectors; grouping samples into frequencies happens elsewhere (<see cref="GroupCounts"/>). Frequencies are
/// shares of the samples whose label is a declared category (<c>unknown</c> excluded) and sum to 1.
/// </summary>
public static class BiasMetrics
{
    /// <summary>
    /// Bias score of Shen et al. 2023 ("Finetuning Text-to-Image Diffusion Models for Fairness", ICLR 2024), as
    /// used by the U-MLLM fairness benchmark (arXiv 2502.03429): the mean absolute difference over all pairs of
    /// classes, <c>(1 / C(K,2)) · Σ_{i&lt;j} |f_i − f_j|</c>. 0 is parity; 1 means every sample falls in one class
    /// when K = 2 (for larger K the maximum is 2/K). For gender it is |f_female − f_male|.
    /// </summary>
    public static double BiasScore(ReadOnlySpan<double> f)
    {
        if (f.Length < 2) throw new ArgumentException("needs at least two classes", nameof(f));
        double sum = 0;
        for (var i = 0; i < f.Length; i++)
            for (var j = i + 1; j < f.Length; j++) sum += Math.Abs(f[i] - f[j]);
        return sum / (f.Length * (f.Length - 1) / 2.0);
    }

    /// <summary>
    /// Kullback–Leibler divergence <c>KL(p‖q) = Σ p_k log2(p_k / q_k)</c> in bits (Kullback &amp; Leibler 1951),
    /// from the observed distribution p to the target q. 0 when p = q; +∞ when p puts mass where q has none.
    /// </summary>
    public static double KullbackLeibler(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        SameLength(p, q);
        double sum = 0;
        for (var k = 0; k < p.Length; k++)
        {
            if (p[k] <= 0) continue;
            if (q[k] <= 0) return double.PositiveInfinity;
            sum += p[k] * Math.Log2(p[k] / q[k]);
        }
        return Math.Max(sum, 0);
    }

    /// <summary>
    /// Jensen–Shannon divergence in bits (Lin 1991): <c>½ KL(p‖m) + ½ KL(q‖m)</c> with m = (p + q)/2. Symmetric,
    /// finite, 0 for equal distributions and at most 1. Used by the U-MLLM paper to compare image-token histograms.
    /// </summary>
    public static double JensenShannon(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        SameLength(p, q);
        double sum = 0;
        for (var k = 0; k < p.Length; k++)
        {
            var m = (p[k] + q[k]) / 2;
            if (p[k] > 0) sum += 0.5 * p[k] * Math.Log2(p[k] / m);
            if (q[k] > 0) sum += 0.5 * q[k] * Math.Log2(q[k] / m);
        }
        return Math.Clamp(sum, 0, 1);
    }

    /// <summary>
    /// Total-variation distance <c>½ Σ |p_k − q_k|</c>: the share of samples that would have to change group to
    /// reach the target. HELM's demographic representation is this distance to the uniform distribution
    /// (Liang et al. 2022, "Holistic Evaluation of Language Models"). 0 is a match, 1 disjoint support.
    /// </summary>
    public static double TotalVariation(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        SameLength(p, q);
        double sum = 0;
        for (var k = 0; k < p.Length; k++) sum += Math.Abs(p[k] - q[k]);
        return Math.Min(sum / 2, 1); // shares summing to 1 + 1 ulp must not give 1.0000000000000002
    }

    /// <summary>
    /// Normalised Shannon entropy <c>−Σ p_k ln p_k / ln K</c>: 1 when all K groups are equally represented,
    /// 0 when one group takes every sample (diversity measure of e.g. Friedrich et al. 2023, "Fair Diffusion").
    /// </summary>
    public static double NormalizedEntropy(ReadOnlySpan<double> p)
    {
        if (p.Length < 2) throw new ArgumentException("needs at least two classes", nameof(p));
        double h = 0;
        foreach (var x in p) if (x > 0) h -= x * Math.Log(x);
        return Math.Clamp(h / Math.Log(p.Length), 0, 1);
    }

    /// <summary>
    /// Largest log-ratio of observed to desired share, <c>max_k ln(p_k / q_k)</c>: MaxSkew of Geyik et al. 2019,
    /// used as the skew of a concept in "Social Debiasing for Fair Multi-modal LLMs" (arXiv 2408.06569).
    /// 0 at the target, positive when some group is over-represented. Categories with q_k = 0 are skipped.
    /// </summary>
    public static double MaxSkew(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        SameLength(p, q);
        var max = double.NegativeInfinity;
        for (var k = 0; k < p.Length; k++)
            if (q[k] > 0) max = Math.Max(max, p[k] > 0 ? Math.Log(p[k] / q[k]) : double.NegativeInfinity);
        return max;
    }

    /// <summary>
    /// Deviation ratio of MIST (Yesiltepe et al. 2024, "MIST: Mitigating Intersectional Bias with Disentangled
    /// Cross-Attention Editing in Text-to-Image Diffusion Models", arXiv 2403.19738), generalised from the uniform target to
    /// any target q: <c>max_k |p_k − q_k| / (1 − min_k q_k)</c>. For q uniform over K classes this is MIST's
    /// <c>max_k |p_k − 1/K| / (1 − 1/K)</c>. 0 at the target; 1 when every sample falls in the least-desired class.
    /// </summary>
    public static double DeviationRatio(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        SameLength(p, q);
        double worst = 0, least = 1;
        for (var k = 0; k < p.Length; k++)
        {
            worst = Math.Max(worst, Math.Abs(p[k] - q[k]));
            least = Math.Min(least, q[k]);
        }
        return least < 1 ? worst / (1 - least) : 0;
    }

    private static void SameLength(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        if (p.Length != q.Length) throw new ArgumentException($"distributions differ in length ({p.Length} vs {q.Length})");
    }
}
