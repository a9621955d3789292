using static Fairscope.MultimodalFindings;

namespace Fairscope;

/// <summary>
/// The diffusion laboratory's conclusions in sentences, each with the numbers behind it: what each edit did to single-attribute
/// and intersectional bias, what it cost in fidelity, and how its weight search ended. Overlapping intervals are reported as
/// no clear change.
/// </summary>
public static class DiffusionFindings
{
    private static readonly string[] Attributes = ["gender", "race", "age", "gender_x_race_x_age"];

    /// <summary>The findings for the audited <paramref name="models"/> (base first) and the edits' searches.</summary>
    public static IReadOnlyList<string> Describe(IReadOnlyList<DiffusionModelReport> models, IReadOnlyDictionary<string, IReadOnlyList<EditStep>> searches)
    {
        var findings = new List<string>();
        var baseline = models.First(m => m.Name == "base");
        findings.Add($"Unedited model: bias score {Summary(baseline)}; occupation recognisability {Format(baseline.Recognisability)}.");
        foreach (var edited in models.Where(m => m.Name != "base"))
        {
            var moves = string.Join("; ", Attributes.Where(edited.Bias.ContainsKey).Select(a =>
                $"{a.Replace("_x_", " × ")} {Format(baseline.Bias[a])} → {Format(edited.Bias[a])} ({Verdict(baseline.Bias[a], edited.Bias[a])})"));
            var deviation = edited.Deviation.TryGetValue("gender_x_race_x_age", out var d) ? $"; intersectional deviation ratio {Format(baseline.Deviation["gender_x_race_x_age"])} → {Format(d)}" : "";
            findings.Add($"{edited.Name}: bias score {moves}{deviation}. Fidelity: occupation recognisability {Format(baseline.Recognisability)} → {Format(edited.Recognisability)}, "
                + $"distance to the world {F(baseline.WorldDistance)} → {F(edited.WorldDistance)}, drift of the preserved (empty) prompt's images {Format(edited.PreservedDrift)}.");
            if (searches.TryGetValue(edited.Name, out var steps))
                findings.Add($"{edited.Name} weight search: " + string.Join("; ", steps.Select(s =>
                    $"{s.Attribute.Replace("_x_", " × ")} {(s.Search.Converged ? "converged" : "stopped")} after {s.Search.Rounds.Count} rounds, mean deviation of the class shares "
                    + $"{F(s.Search.Rounds[0].MeanDeviation)} in round 1 and {F(s.Search.Rounds.Min(r => r.MeanDeviation))} at best")) + ".");
        }
        return findings;
    }

    private static string Summary(DiffusionModelReport model) =>
        string.Join(", ", Attributes.Where(model.Bias.ContainsKey).Select(a => $"{a.Replace("_x_", " × ")} {Format(model.Bias[a])}"));

    private static string Verdict(AggregateEstimate before, AggregateEstimate after) =>
        before.CiLow is null || after.CiLow is null || before.CiLow <= after.CiHigh && after.CiLow <= before.CiHigh ? "no clear change"
        : after.Mean < before.Mean ? "lower" : "higher";
}
