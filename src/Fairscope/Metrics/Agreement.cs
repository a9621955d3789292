namespace Fairscope;

/// <summary>
/// Agreement between two annotators that labelled the same samples: Cohen's kappa (Cohen 1960, "A coefficient of
/// agreement for nominal scales", Educational and Psychological Measurement 20(1)). Labels are nominal categories
/// compared as strings; <see cref="DemographicAttribute.Unknown"/> is a category of its own, so "both unknown" counts
/// as agreement and "unknown versus female" as disagreement. Give only samples that both annotators labelled, and
/// report how many there were.
/// </summary>
public static class Agreement
{
    /// <summary>
    /// Cohen's kappa of a K×K confusion matrix, <c>κ = (p_o − p_e) / (1 − p_e)</c>: p_o is the share of samples on
    /// the diagonal (observed agreement), <c>p_e = Σ_k r_k c_k / n²</c> the agreement expected by chance from the
    /// row and column totals. 1 is perfect agreement, 0 what independent annotators with these label rates would
    /// reach, negative values less than chance (−1 at most). Computed exactly in integers as
    /// <c>(n·Σ_k m_kk − Σ_k r_k c_k) / (n² − Σ_k r_k c_k)</c>. Undefined (NaN) when p_e = 1, i.e. both annotators gave
    /// every sample one and the same label (chance alone explains the agreement, 0/0), and when there are no samples;
    /// when only one annotator is constant, p_e &lt; 1 and κ = 0.
    /// </summary>
    /// <param name="confusion">Row-major counts: <c>confusion[i·K + j]</c> samples the first annotator put in category i and the second in j.</param>
    /// <param name="categories">K.</param>
    public static double CohensKappa(ReadOnlySpan<int> confusion, int categories)
    {
        var (n, diagonal, chance) = Totals(confusion, categories);
        var numerator = n * diagonal - chance;
        var denominator = n * n - chance;
        return denominator == 0 ? double.NaN : (double)numerator / denominator;
    }

    /// <summary>Cohen's kappa of two annotators' labels of the same samples (<paramref name="first"/>[i] and
    /// <paramref name="second"/>[i] label sample i); see <see cref="CohensKappa(ReadOnlySpan{int}, int)"/>.</summary>
    public static double CohensKappa(IReadOnlyList<string> first, IReadOnlyList<string> second)
    {
        var index = CategoryIndex(first, second);
        return CohensKappa(Count(first, second, index, Enumerable.Range(0, first.Count)), index.Count);
    }

    /// <summary>Observed agreement p_o, the share of samples on the diagonal; NaN without samples.</summary>
    public static double ObservedAgreement(ReadOnlySpan<int> confusion, int categories)
    {
        var (n, diagonal, _) = Totals(confusion, categories);
        return n == 0 ? double.NaN : (double)diagonal / n;
    }

    /// <summary>
    /// Cohen's kappa with a seeded percentile-bootstrap interval that resamples samples (pairs of labels) with
    /// replacement, within each stratum when <paramref name="strata"/> is given (e.g. each sample's prompt, as the
    /// audit's other intervals do). Replicates where κ is undefined are left out; with fewer than half defined the
    /// interval is null (see <see cref="Bootstrap.Interval"/>).
    /// </summary>
    public static KappaEstimate Kappa(IReadOnlyList<string> first, IReadOnlyList<string> second, Bootstrap bootstrap, IReadOnlyList<string>? strata = null)
    {
        if (strata is not null && strata.Count != first.Count)
            throw new ArgumentException($"{strata.Count} strata for {first.Count} samples", nameof(strata));
        var index = CategoryIndex(first, second);
        var (k, cells) = (index.Count, index.Count * index.Count);
        // Resampling n pairs and counting them is drawing the confusion counts from Multinomial(n, observed shares),
        // per stratum; so each stratum's confusion matrix is all a replicate needs (Sampling.Multinomial draws it exactly).
        var byStratum = Enumerable.Range(0, first.Count).GroupBy(i => strata?[i] ?? "").Select(g => Count(first, second, index, g)).ToList();
        var total = new int[cells];
        foreach (var counts in byStratum) for (var c = 0; c < cells; c++) total[c] += counts[c];
        var replicates = bootstrap.Replicates(random =>
        {
            var resampled = new int[cells];
            var draw = new int[cells];
            foreach (var counts in byStratum)
            {
                Sampling.Multinomial(random, counts, draw);
                for (var c = 0; c < cells; c++) resampled[c] += draw[c];
            }
            return [CohensKappa(resampled, k)];
        });
        var observed = ObservedAgreement(total, k);
        return new KappaEstimate(first.Count, double.IsNaN(observed) ? null : observed,
            bootstrap.Estimate(CohensKappa(total, k), replicates.Select(r => r[0]).ToArray()));
    }

    /// <summary>Index of every category either annotator used, in ordinal order.</summary>
    private static Dictionary<string, int> CategoryIndex(IReadOnlyList<string> first, IReadOnlyList<string> second)
    {
        if (first.Count != second.Count) throw new ArgumentException($"the first annotator labelled {first.Count} samples but the second {second.Count}");
        return first.Concat(second).Distinct().Order(StringComparer.Ordinal).Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
    }

    /// <summary>The confusion matrix of <paramref name="samples"/>.</summary>
    private static int[] Count(IReadOnlyList<string> first, IReadOnlyList<string> second, Dictionary<string, int> index, IEnumerable<int> samples)
    {
        var confusion = new int[index.Count * index.Count];
        foreach (var i in samples) confusion[index[first[i]] * index.Count + index[second[i]]]++;
        return confusion;
    }

    // n, Σ_k m_kk and Σ_k r_k c_k, in 64-bit integers so that κ's 0/0 case is exact.
    private static (long N, long Diagonal, long Chance) Totals(ReadOnlySpan<int> confusion, int categories)
    {
        if (confusion.Length != categories * categories)
            throw new ArgumentException($"a {categories}×{categories} confusion matrix has {categories * categories} cells, not {confusion.Length}", nameof(confusion));
        long n = 0, diagonal = 0, chance = 0;
        for (var i = 0; i < categories; i++)
        {
            long row = 0, column = 0;
            for (var j = 0; j < categories; j++)
            {
                row += confusion[i * categories + j];
                column += confusion[j * categories + i];
            }
            n += row;
            diagonal += confusion[i * categories + i];
            chance += row * column;
        }
        return (n, diagonal, chance);
    }
}

/// <summary>Cohen's kappa of two annotators with its bootstrap interval.</summary>
/// <param name="Samples">Samples both annotators labelled (unknown included).</param>
/// <param name="ObservedAgreement">Share of those samples with the same label; null without samples.</param>
/// <param name="Kappa">κ; its value is null where κ is undefined (no samples, or both annotators gave one and the same label throughout).</param>
public sealed record KappaEstimate(int Samples, double? ObservedAgreement, Estimate Kappa);
