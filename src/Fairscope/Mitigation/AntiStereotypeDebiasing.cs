namespace Fairscope;

/// <summary>
/// Anti-stereotype debiasing (ASD) of "Social Debiasing for Fair Multi-modal LLMs" (arXiv 2408.06569) for a training
/// set whose examples each pair a concept (e.g. an occupation) with an attribute value (e.g. a perceived gender).
/// The skew of example i is <c>Skew_i = ln(P_data(a_i | c_i) / P_desired(a_i))</c> (Geyik et al. 2019's skew):
/// positive when its value is over-represented for its concept, negative when under-represented.
/// <list type="bullet">
/// <item><b>Loss rescaling:</b> weight <c>exp(−Skew_i) = P_desired / P_data</c>, so the weighted data has the desired
/// distribution within every concept (an importance weight).</item>
/// <item><b>Resampling each epoch</b> <em>(reconstruction: the paper gives the idea, these constants are ours)</em>:
/// an over-represented example is dropped with probability <c>Skew / (Skew + τ1)</c>; an under-represented one adds
/// |Skew| to its accumulator and is duplicated each time the accumulator passes τ2 (which then decreases by τ2).</item>
/// </list>
/// </summary>
public sealed class AntiStereotypeDebiasing : IEpochResampler
{
    private readonly double _tau1, _tau2;
    private readonly double[] _accumulators;

    /// <summary>Computes skews from the examples' (concept, value) pairs against <paramref name="desired"/> shares.</summary>
    public AntiStereotypeDebiasing(IReadOnlyList<(string Concept, string Value)> examples, IReadOnlyDictionary<string, double> desired,
        double tau1 = 1, double tau2 = 1)
    {
        if (tau1 <= 0 || tau2 <= 0) throw new FairscopeException($"τ1 and τ2 must be positive (got {tau1}, {tau2})");
        if (Math.Abs(desired.Values.Sum() - 1) > 1e-6) throw new FairscopeException($"desired shares must sum to 1, not {desired.Values.Sum()}");
        foreach (var (_, value) in examples)
            if (!desired.TryGetValue(value, out var share) || share <= 0)
                throw new FairscopeException($"value '{value}' has no positive desired share; give every value a share above 0");
        (_tau1, _tau2) = (tau1, tau2);
        var perConcept = examples.GroupBy(e => e.Concept).ToDictionary(g => g.Key, g => (Total: (double)g.Count(),
            ByValue: g.GroupBy(e => e.Value).ToDictionary(v => v.Key, v => v.Count())));
        Skews = examples.Select(e => Math.Log(perConcept[e.Concept].ByValue[e.Value] / perConcept[e.Concept].Total / desired[e.Value])).ToArray();
        LossWeights = Skews.Select(s => Math.Exp(-s)).ToArray();
        _accumulators = new double[examples.Count];
    }

    /// <summary>Skew of each example (natural log).</summary>
    public IReadOnlyList<double> Skews { get; }

    /// <summary>Loss weight of each example, <c>exp(−Skew)</c>.</summary>
    public IReadOnlyList<double> LossWeights { get; }

    /// <summary>The example indices of the next epoch: over-represented ones possibly dropped, under-represented ones kept
    /// and possibly duplicated. Call once per epoch; the accumulators carry over.</summary>
    public IReadOnlyList<int> NextEpoch(Random random)
    {
        var indices = new List<int>(Skews.Count);
        for (var i = 0; i < Skews.Count; i++)
        {
            var skew = Skews[i];
            if (skew > 0)
            {
                if (random.NextDouble() >= skew / (skew + _tau1)) indices.Add(i);
                continue;
            }
            indices.Add(i);
            _accumulators[i] += -skew;
            while (_accumulators[i] >= _tau2)
            {
                indices.Add(i);
                _accumulators[i] -= _tau2;
            }
        }
        return indices;
    }
}
