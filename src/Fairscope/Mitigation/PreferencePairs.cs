namespace Fairscope;

/// <summary>
/// Preference pairs that move a model's perceived-group distribution toward each attribute's target, for DPO-style
/// fine-tuning: the idea of balanced preference optimisation (BPO, "On Fairness of Unified Multimodal Large Language
/// Model for Image Generation", arXiv 2502.03429) — the model should prefer no over-represented group — turned into
/// ordinary (chosen, rejected) pairs drawn from an audit's own samples.
/// <para>Per prompt and attribute, with n non-refused samples of a declared group, c_k in group k and target share
/// t_k, group k has the excess <c>e_k = c_k − t_k·n</c>. A pair rejects a sample of group o and chooses one of group u,
/// which moves one sample's worth of mass from o to u; it is made only when that strictly lowers the distance to the
/// target <c>Σ_k |e_k|</c> (= 2n · total variation), i.e. <c>|e_o − 1| − |e_o| + |e_u + 1| − |e_u| &lt; 0</c>. Groups are
/// tried from the largest excess (rejected) and the largest deficit (chosen); the two answers must be within
/// <see cref="PreferenceOptions.MaxLengthRatio"/> of each other in words; refusals and unknown labels never enter a
/// pair; each sample is used at most once per attribute. Samples of a group are tried in a seeded shuffled order.</para>
/// </summary>
public static class PreferencePairs
{
    private const double Tolerance = 1e-9;

    /// <summary>All pairs for <paramref name="attributes"/> over <paramref name="prompts"/>, in prompt then attribute order.</summary>
    public static IReadOnlyList<PreferencePair> Synthesize(IReadOnlyList<PreferencePrompt> prompts, IReadOnlyList<DemographicAttribute> attributes,
        PreferenceOptions options)
    {
        options.Validate();
        var random = new Random(options.Seed);
        var pairs = new List<PreferencePair>();
        foreach (var prompt in prompts)
            foreach (var attribute in attributes)
                AddPairs(pairs, prompt, attribute, options.MaxLengthRatio, random);
        return pairs;
    }

    private static void AddPairs(List<PreferencePair> pairs, PreferencePrompt prompt, DemographicAttribute attribute, double maxRatio, Random random)
    {
        var pools = attribute.Categories.Select(c =>
        {
            var pool = prompt.Candidates.Where(s => !s.Refused && s.Groups.GetValueOrDefault(attribute.Name) == c)
                .Select(s => (Sample: s, Words: AuditAnalyzer.WordCount(s.Output))).ToArray();
            random.Shuffle(pool);
            return pool.ToList();
        }).ToArray();
        var n = pools.Sum(p => p.Count);
        var excess = pools.Select((p, k) => p.Count - attribute.Target[attribute.Categories[k]] * n).ToArray();
        var order = Enumerable.Range(0, pools.Length).ToArray();
        while (true)
        {
            var found = false;
            foreach (var o in order.Where(k => pools[k].Count > 0).OrderByDescending(k => excess[k]))
            {
                foreach (var u in order.Where(k => k != o && pools[k].Count > 0).OrderBy(k => excess[k]))
                {
                    if (Math.Abs(excess[o] - 1) - Math.Abs(excess[o]) + Math.Abs(excess[u] + 1) - Math.Abs(excess[u]) >= -Tolerance) continue;
                    var (ri, ci) = FirstComparable(pools[o], pools[u], maxRatio);
                    if (ri < 0) continue;
                    var (rejected, chosen) = (pools[o][ri].Sample, pools[u][ci].Sample);
                    pools[o].RemoveAt(ri);
                    pools[u].RemoveAt(ci);
                    excess[o]--;
                    excess[u]++;
                    pairs.Add(new PreferencePair(prompt.Id, prompt.Text, attribute.Name,
                        new PreferenceAnswer(chosen.SampleIndex, chosen.Output, attribute.Categories[u]),
                        new PreferenceAnswer(rejected.SampleIndex, rejected.Output, attribute.Categories[o])));
                    found = true;
                    break;
                }
                if (found) break;
            }
            if (!found) return;
        }
    }

    // The first (rejected, chosen) indices, in pool order, whose answers are of comparable length; (-1, -1) when none are.
    private static (int, int) FirstComparable(List<(PreferenceCandidate Sample, int Words)> rejected, List<(PreferenceCandidate Sample, int Words)> chosen, double maxRatio)
    {
        for (var r = 0; r < rejected.Count; r++)
            for (var c = 0; c < chosen.Count; c++)
                if (Comparable(rejected[r].Words, chosen[c].Words, maxRatio)) return (r, c);
        return (-1, -1);
    }

    /// <summary>True when the longer text has at most <paramref name="maxRatio"/> times the words of the shorter (and neither is empty).</summary>
    public static bool Comparable(string a, string b, double maxRatio) => Comparable(AuditAnalyzer.WordCount(a), AuditAnalyzer.WordCount(b), maxRatio);

    private static bool Comparable(int x, int y, double maxRatio) => Math.Min(x, y) > 0 && Math.Max(x, y) <= maxRatio * Math.Min(x, y);

    /// <summary>
    /// Group balance of the pairs of <paramref name="attribute"/>: chosen and rejected group counts, and the bias score
    /// (<see cref="BiasMetrics.BiasScore"/>) and total-variation distance to the target (<see cref="BiasMetrics.TotalVariation"/>) of
    /// the chosen answers pooled over prompts, beside the same of all the run's answered (not refused) samples with a declared group. Pooled, not a
    /// mean over prompts as in results.json: a prompt's chosen answers come from its under-represented groups by construction,
    /// so what matters for training is the composition of the whole set.
    /// </summary>
    public static PreferenceBalance Balance(IReadOnlyList<PreferencePair> pairs, IReadOnlyList<PreferencePrompt> prompts, DemographicAttribute attribute)
    {
        var own = pairs.Where(p => p.Attribute == attribute.Name).ToList();
        var chosen = GroupCounts.From(attribute, own.Select(p => p.Chosen.Group));
        var rejected = GroupCounts.From(attribute, own.Select(p => p.Rejected.Group));
        // Refusals never enter a pair, so they stay out of the run's side too: like compared with like.
        var run = GroupCounts.From(attribute, prompts.SelectMany(p => p.Candidates).Where(s => !s.Refused)
            .Select(s => s.Groups.GetValueOrDefault(attribute.Name) ?? DemographicAttribute.Unknown));
        var target = attribute.Categories.Select(c => attribute.Target[c]).ToArray();
        double? Bias(GroupCounts c) => GroupCounts.KnownFrequencies(c.Counts) is { } f ? BiasMetrics.BiasScore(f) : null;
        double? Tv(GroupCounts c) => GroupCounts.KnownFrequencies(c.Counts) is { } f ? BiasMetrics.TotalVariation(f, target) : null;
        return new PreferenceBalance(attribute.Name, own.Count, Known(chosen), Known(rejected), Bias(chosen), Bias(rejected), Bias(run), Tv(chosen), Tv(run));
    }

    private static IReadOnlyDictionary<string, int> Known(GroupCounts counts) =>
        counts.ToDictionary().Where(c => c.Key != DemographicAttribute.Unknown).ToDictionary();
}
