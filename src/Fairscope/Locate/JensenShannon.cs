namespace Fairscope;

/// <summary>
/// Jensen–Shannon divergence (Lin 1991, "Divergence measures based on the Shannon entropy", IEEE Trans. Inf. Theory
/// 37(1)): with m = (p + q) / 2, <c>JSD(p, q) = ½ KL(p ‖ m) + ½ KL(q ‖ m)</c>, logarithms base 2, so it lies in [0, 1]:
/// 0 for identical distributions, 1 for disjoint supports; symmetric, and finite where KL is not. The U-MLLM fairness
/// paper (arXiv 2502.03429, §locate) compares image-token histograms of neutral and demographic prompts with it.
/// </summary>
public static class JensenShannon
{
    /// <summary>JSD, base 2, of <paramref name="p"/> and <paramref name="q"/>, each normalised to sum 1 here (counts are
    /// fine); terms with 0 · log 0 count as 0. Both must have the same length, non-negative finite entries and a positive sum.</summary>
    public static double Divergence(IReadOnlyList<double> p, IReadOnlyList<double> q)
    {
        if (p.Count != q.Count) throw new FairscopeException($"Jensen–Shannon divergence: the distributions have {p.Count} and {q.Count} entries; give both over the same support");
        double sp = Sum(p, "first"), sq = Sum(q, "second");
        double divergence = 0;
        for (var i = 0; i < p.Count; i++)
        {
            double a = p[i] / sp, b = q[i] / sq, m = (a + b) / 2;
            if (a > 0) divergence += a * Math.Log2(a / m);
            if (b > 0) divergence += b * Math.Log2(b / m);
        }
        // Rounding can leave a hair outside [0, 1].
        return Math.Clamp(divergence / 2, 0, 1);
    }

    private static double Sum(IReadOnlyList<double> distribution, string which)
    {
        double sum = 0;
        foreach (var x in distribution)
        {
            if (!double.IsFinite(x) || x < 0) throw new FairscopeException($"Jensen–Shannon divergence: the {which} distribution holds {x}; entries must be finite and non-negative");
            sum += x;
        }
        return sum > 0 ? sum : throw new FairscopeException($"Jensen–Shannon divergence: the {which} distribution sums to 0; it needs at least one positive entry");
    }
}
