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
    /// fine) and then compared by <see cref="BiasMetrics.JensenShannon"/>; terms with 0 · log 0 count as 0. Both need the
    /// same length, finite non-negative entries and a positive sum.</summary>
    public static double Divergence(IReadOnlyList<double> p, IReadOnlyList<double> q)
    {
        if (p.Count != q.Count) throw new FairscopeException($"Jensen–Shannon divergence: the distributions have {p.Count} and {q.Count} entries; give both over the same support");
        return BiasMetrics.JensenShannon(Normalise(p, "first"), Normalise(q, "second"));
    }

    private static double[] Normalise(IReadOnlyList<double> distribution, string which)
    {
        double sum = 0;
        foreach (var x in distribution)
        {
            if (!double.IsFinite(x) || x < 0) throw new FairscopeException($"Jensen–Shannon divergence: the {which} distribution holds {x}; entries must be finite and non-negative");
            sum += x;
        }
        if (!(sum > 0)) throw new FairscopeException($"Jensen–Shannon divergence: the {which} distribution sums to 0; it needs at least one positive entry");
        return [.. distribution.Select(x => x / sum)];
    }
}
