namespace Fairscope;

/// <summary>
/// Counterfactual gaps (LangFair, Bouchard 2024; Huang et al. 2020): prompts that differ only in the
/// counterfactual slot (e.g. "a Black nurse" / "a White nurse") form a set; for every pair of groups in a set
/// the gap is the total-variation distance between their attribute distributions (for a binary attribute,
/// the absolute difference in rates), the absolute difference in refusal rate, and the absolute difference
/// in mean output length in words. Gaps are averaged over all pairs of all sets, with bootstrap intervals
/// that resample samples within each prompt; 0 means the group term changed nothing measured.
/// </summary>
internal sealed class CounterfactualAnalyzer(Bootstrap bootstrap)
{
    public const string Refusal = "refusal";
    public const string Length = "length_words";

    private sealed record PromptData(SuitePrompt Prompt, GroupCounts[] Counts, int[] Refusals, double[] Lengths);

    public CounterfactualResult Analyze(Suite suite, Dictionary<string, List<AuditAnalyzer.LabelledSample>> samplesByPrompt,
        List<DemographicAttribute> plain)
    {
        var attributes = suite.Attributes;
        var data = suite.Prompts.Where(p => p.CounterfactualSet is not null).Select(p =>
        {
            var s = samplesByPrompt.GetValueOrDefault(p.Id, []);
            var sampleLabels = s.Select(x => x.Labels).ToList();
            return new PromptData(p,
                attributes.Select(a => GroupCounts.From(a, sampleLabels.Select(l => AuditAnalyzer.LabelOf(a, l, plain)))).ToArray(),
                [sampleLabels.Count(l => l.Refusal == RefusalAnnotator.Refused), sampleLabels.Count(l => l.Refusal is not null && l.Refusal != RefusalAnnotator.Refused)],
                s.Select(x => (double)AuditAnalyzer.WordCount(x.Sample.Output!)).ToArray());
        }).ToList();
        var groupOrder = data.Select(d => d.Prompt.CounterfactualGroup!).Distinct().ToList();
        var pairs = data.GroupBy(d => d.Prompt.CounterfactualSet!).SelectMany(set =>
        {
            var members = set.OrderBy(d => groupOrder.IndexOf(d.Prompt.CounterfactualGroup!)).ToList();
            return members.SelectMany((a, i) => members.Skip(i + 1).Select(b => (Set: set.Key, A: data.IndexOf(a), B: data.IndexOf(b))));
        }).ToList();
        var measures = attributes.Select(a => a.Name).Append(Refusal).Append(Length).ToList();

        // Per pair and measure; vector index = pair * measures + measure.
        double[] Gaps(Func<GroupCounts, int[]> countsOf, Func<int[], int[]> refusalsOf, Func<double[], double> meanLength)
        {
            var stats = data.Select(d => (
                Frequencies: d.Counts.Select(c => GroupCounts.KnownFrequencies(countsOf(c))).ToArray(),
                Refusal: AuditAnalyzer.RefusalRate(refusalsOf(d.Refusals)),
                Length: d.Lengths.Length == 0 ? double.NaN : meanLength(d.Lengths))).ToArray();
            var v = new double[pairs.Count * measures.Count];
            for (var i = 0; i < pairs.Count; i++)
            {
                var (a, b) = (stats[pairs[i].A], stats[pairs[i].B]);
                for (var k = 0; k < attributes.Count; k++)
                    v[i * measures.Count + k] = a.Frequencies[k] is { } fa && b.Frequencies[k] is { } fb ? BiasMetrics.TotalVariation(fa, fb) : double.NaN;
                v[i * measures.Count + attributes.Count] = Math.Abs(a.Refusal - b.Refusal);
                v[i * measures.Count + attributes.Count + 1] = Math.Abs(a.Length - b.Length);
            }
            return v;
        }
        var point = Gaps(c => c.Counts, r => r, l => l.Average());
        var replicates = bootstrap.Replicates(random =>
            Gaps(c => AuditAnalyzer.Resample(random, c.Counts), r => AuditAnalyzer.Resample(random, r), l => Sampling.ResampledMean(random, l)));

        var pairIds = pairs.Select(p => $"{p.Set}: {data[p.A].Prompt.CounterfactualGroup} vs {data[p.B].Prompt.CounterfactualGroup}").ToList();
        var gaps = measures.Select((name, k) => (name, AuditAnalyzer.Aggregate(bootstrap, higherIsBetter: false, pairIds, i => point[i * measures.Count + k],
            replicates.Select(r => (Func<int, double>)(i => r[i * measures.Count + k]))))).ToDictionary(x => x.name, x => x.Item2);

        var byPair = pairs.Select((p, i) => (Key: (data[p.A].Prompt.CounterfactualGroup!, data[p.B].Prompt.CounterfactualGroup!), Index: i))
            .GroupBy(x => x.Key).Select(g => new GroupPairGaps(g.Key.Item1, g.Key.Item2, g.Count(),
                measures.Select((name, k) => (name, AuditAnalyzer.Finite(AuditAnalyzer.MeanOfDefined(g.Select(x => point[x.Index * measures.Count + k])))))
                    .ToDictionary(x => x.name, x => x.Item2))).ToList();

        var byGroup = groupOrder.Select(group =>
        {
            var members = data.Where(d => d.Prompt.CounterfactualGroup == group).ToList();
            var refusals = new[] { members.Sum(d => d.Refusals[0]), members.Sum(d => d.Refusals[1]) };
            var lengths = members.SelectMany(d => d.Lengths).ToList();
            return new GroupSummary(group, lengths.Count, AuditAnalyzer.Finite(AuditAnalyzer.RefusalRate(refusals)),
                lengths.Count == 0 ? null : lengths.Average(),
                attributes.Select((a, k) =>
                {
                    var total = new int[a.Categories.Count + 1];
                    foreach (var d in members) for (var c = 0; c < total.Length; c++) total[c] += d.Counts[k].Counts[c];
                    var f = GroupCounts.KnownFrequencies(total);
                    return (a.Name, f is null ? null : (IReadOnlyDictionary<string, double>)a.Categories.Select((c, i) => (c, f[i])).ToDictionary(x => x.c, x => x.Item2));
                }).ToDictionary(x => x.Name, x => x.Item2));
        }).ToList();

        return new CounterfactualResult(suite.CounterfactualSlot!, data.Select(d => d.Prompt.CounterfactualSet).Distinct().Count(),
            pairs.Count, gaps, byPair, byGroup);
    }
}
