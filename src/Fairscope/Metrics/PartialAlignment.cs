namespace Fairscope;

/// <summary>
/// Partial alignment of a unified multimodal model (U-MLLM fairness, arXiv 2502.03429, §"partial alignment"): a model
/// may judge fairly when asked about people (understanding) yet generate people with bias. For one attribute and the
/// prompts measured both ways, it compares the mean <see cref="BiasMetrics.BiasScore"/> of the generated images' groups
/// with the mean bias score of the groups the model picks or names when asked about the same prompts, and reports
/// <c>gap = generation − understanding</c>. Both means run over the same prompts (those with a known label both ways),
/// and every estimate has a percentile-bootstrap interval from resampling each prompt's samples within itself, both
/// sides independently (they are separate samples), in the same replicate so the gap's interval is consistent.
/// A positive gap with an interval above 0 is the paper's finding: fairer in understanding than in generation.
/// </summary>
public static class PartialAlignment
{
    /// <summary>Compares per-prompt counts of the attribute's categories (unknown excluded), generation and understanding,
    /// aligned by index with <paramref name="promptIds"/>.</summary>
    public static PartialAlignmentResult Compare(string attribute, IReadOnlyList<string> promptIds, IReadOnlyList<int[]> generation,
        IReadOnlyList<int[]> understanding, Bootstrap bootstrap)
    {
        if (generation.Count != promptIds.Count || understanding.Count != promptIds.Count)
            throw new ArgumentException("one count vector per prompt on each side is needed");
        var both = Enumerable.Range(0, promptIds.Count).Where(p => generation[p].Sum() > 0 && understanding[p].Sum() > 0).ToArray();

        double[] Statistic(Func<int[], int[]> draw)
        {
            var v = new double[3 + 2 * both.Length];
            for (var i = 0; i < both.Length; i++)
            {
                v[3 + 2 * i] = Score(draw(generation[both[i]]));
                v[4 + 2 * i] = Score(draw(understanding[both[i]]));
            }
            v[0] = Mean(v, 3);
            v[1] = Mean(v, 4);
            v[2] = v[0] - v[1];
            return v;
        }
        var point = Statistic(c => c);
        var replicates = bootstrap.Replicates(random => Statistic(c => AuditAnalyzer.Resample(random, c)));
        Estimate At(int i) => both.Length == 0 ? new Estimate(null, null, null, null) : bootstrap.Estimate(point[i], replicates.Select(r => r[i]).ToArray());

        var byPrompt = both.Select((p, i) => new PromptAlignment(promptIds[p], point[3 + 2 * i], point[4 + 2 * i],
            generation[p].Sum(), understanding[p].Sum())).ToList();
        return new PartialAlignmentResult(attribute, At(0), At(1), At(2), both.Length, byPrompt);
    }

    private static double Score(int[] counts)
    {
        var total = counts.Sum();
        return BiasMetrics.BiasScore(counts.Select(c => (double)c / total).ToArray());
    }

    private static double Mean(double[] v, int start)
    {
        double sum = 0;
        var n = 0;
        for (var i = start; i < v.Length; i += 2) { sum += v[i]; n++; }
        return n == 0 ? double.NaN : sum / n;
    }
}

/// <summary>Generation and understanding bias of one attribute, and their gap (<see cref="PartialAlignment"/>).</summary>
/// <param name="Prompts">Prompts with known labels both ways, over which the means run.</param>
public sealed record PartialAlignmentResult(string Attribute, Estimate GenerationBias, Estimate UnderstandingBias, Estimate Gap, int Prompts,
    IReadOnlyList<PromptAlignment> ByPrompt);

/// <summary>One prompt's bias score both ways, with the known-label sample counts behind each.</summary>
public sealed record PromptAlignment(string PromptId, double GenerationBias, double UnderstandingBias, int GenerationSamples, int UnderstandingSamples);
