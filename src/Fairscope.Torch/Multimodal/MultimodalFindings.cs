using System.Globalization;

namespace Fairscope;

/// <summary>
/// The multimodal laboratory's conclusions in sentences, each with the numbers behind it: where the bias lives (tokenizer
/// or language model), whether understanding and generation disagree (partial alignment), and what BPO and the
/// understanding-only control changed. A sentence only states what its intervals support: overlapping intervals are
/// reported as no clear change.
/// </summary>
public static class MultimodalFindings
{
    /// <summary>The findings for the audited <paramref name="models"/> (base first) and the locate analyses.</summary>
    public static IReadOnlyList<string> Describe(IReadOnlyList<ModelReport> models, LocateReport locate)
    {
        var findings = new List<string>();
        var baseline = models.First(m => m.Name == "base");
        var probe = string.Join("; ", locate.Probe.Select(p => $"{p.Attribute} {Format(p.Accuracy)} (majority baseline {F(p.MajorityBaseline)})"));
        findings.Add($"Vision tokenizer: a linear probe on its features predicts {probe}.");
        if (models.FirstOrDefault(m => m.Name == "swap") is { } swap)
            findings.Add($"Tokenizer swap: with a tokenizer trained on the balanced world, generation bias goes {Compare(baseline, swap, "gender")} for gender and "
                + $"{Compare(baseline, swap, "race")} for race: {(Overlaps(baseline, swap, "gender") ? "the tokenizer does not decide which group is drawn" : "the tokenizer's training data changes which group is drawn")}.");
        foreach (var summary in locate.Exact.Attributes)
        {
            var sampled = locate.Sampled.Attributes.FirstOrDefault(s => s.Attribute == summary.Attribute);
            findings.Add($"Language model ({summary.Attribute}): the neutral prompt's image-token distribution is nearest to the group that dominates its images in "
                + $"{Format(summary.HitRate)} of {summary.WithDominant} occupations (exact distributions; sampled histograms: {(sampled is null ? "n/a" : Format(sampled.HitRate))}); "
                + $"that group's mean share of the generated images is {F(summary.MeanDominantShare)}.");
        }
        foreach (var alignment in baseline.Alignment)
            findings.Add($"Partial alignment ({alignment.Attribute}): generation bias {Format(alignment.GenerationBias)} against understanding bias {Format(alignment.UnderstandingBias)} "
                + $"when asked about a blank picture (abstentions {F(alignment.AbstentionRate)}); gap {Format(alignment.Gap)}.");
        foreach (var name in new[] { "sft", "bpo", "understanding" })
        {
            if (models.FirstOrDefault(m => m.Name == name) is not { } tuned) continue;
            var moves = string.Join(", ", new[] { "gender", "race", "gender_x_race" }.Where(baseline.GenerationBias.ContainsKey)
                .Select(a => $"{a.Replace("_x_", " × ")} {Compare(baseline, tuned, a)}"));
            var verdict = Overlaps(baseline, tuned, "gender") ? "no clear change in gender bias" : Mean(tuned, "gender") < Mean(baseline, "gender") ? "gender bias falls" : "gender bias rises";
            findings.Add($"{tuned.Name}: {moves} ({verdict}); occupation recognisability {Format(baseline.Recognisability)} → {Format(tuned.Recognisability)}; "
                + $"understanding accuracy (gender) {Format(baseline.UnderstandingAccuracy["gender"])} → {Format(tuned.UnderstandingAccuracy["gender"])}.");
        }
        return findings;
    }

    private static string Compare(ModelReport before, ModelReport after, string attribute) =>
        $"{Format(before.GenerationBias[attribute])} → {Format(after.GenerationBias[attribute])}";

    private static bool Overlaps(ModelReport a, ModelReport b, string attribute)
    {
        var (x, y) = (a.GenerationBias[attribute], b.GenerationBias[attribute]);
        return x.CiLow is null || y.CiLow is null || x.CiLow <= y.CiHigh && y.CiLow <= x.CiHigh;
    }

    private static double Mean(ModelReport model, string attribute) => model.GenerationBias[attribute].Mean ?? double.NaN;

    /// <summary>"0.78 [0.70, 0.85]", or "n/a".</summary>
    public static string Format(AggregateEstimate e) => Format(e.Mean, e.CiLow, e.CiHigh);

    /// <summary>"0.78 [0.70, 0.85]", or "n/a".</summary>
    public static string Format(Estimate e) => Format(e.Value, e.CiLow, e.CiHigh);

    private static string Format(double? value, double? low, double? high) =>
        value is { } v && double.IsFinite(v) ? low is { } l && high is { } h ? $"{F(v)} [{F(l)}, {F(h)}]" : F(v) : "n/a";

    /// <summary>A value with two decimals, or "n/a".</summary>
    public static string F(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
}
