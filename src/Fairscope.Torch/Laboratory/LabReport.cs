using System.Globalization;
using System.Text;
using System.Text.Json;
using static Fairscope.HtmlCells;

namespace Fairscope;

/// <summary>
/// The laboratory's results.json (the whole <see cref="LabResult"/>, snake_case) and report.html (self-contained:
/// inline CSS and ScottPlot SVG charts): bias against the bias ratio, the classification gaps and fidelity beside it,
/// and every mitigation's before/after with intervals and its fidelity cost.
/// </summary>
public static class LabReport
{
    /// <summary>Writes both files into <paramref name="folder"/>; returns the HTML report's path.</summary>
    public static async Task<string> WriteAsync(LabResult result, string folder)
    {
        await ReportFile.WriteAsync(Path.Combine(folder, JsonReportWriter.FileName), w => w.WriteAsync(JsonSerializer.Serialize(result, JsonReportWriter.Options)));
        var html = Path.Combine(folder, HtmlReportWriter.FileName);
        await ReportFile.WriteAsync(html, w => w.WriteAsync(Render(result)));
        return html;
    }

    /// <summary>The HTML document.</summary>
    public static string Render(LabResult r)
    {
        var s = r.Settings;
        var b = new StringBuilder();
        b.Append($"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fairscope laboratory: {H(r.Job)}</title>
            <style>body{"{"}font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222{"}"}
            table{"{"}border-collapse:collapse;margin:1em 0{"}"}td,th{"{"}border:1px solid #ccc;padding:3px 8px;text-align:right{"}"}
            th:first-child,td:first-child{"{"}text-align:left{"}"}.note{"{"}color:#555{"}"}.pass{"{"}color:#1a7f37{"}"}.fail{"{"}color:#b42318{"}"}</style></head><body>
            <h1>Fairscope laboratory: {H(r.Job)}</h1>
            <p class="note">A teacher trained on a skewed synthetic world writes augmented data; students train on mixes of the fair original data and the
            augmented data at bias ratio γ (the share of augmented documents). Groups are <em>presented</em> attributes of fictional people and
            <em>perceived</em> cues in generated text, never facts about anyone. Seed {s.Seed}; {s.Seeds} student(s) per condition;
            {s.SamplesPerPrompt} samples per prompt × {LabFormat.ProbeSuite.Prompts.Count} prompts; {r.AugmentedDocuments} augmented documents;
            {r.Seconds:0} s.</p>
            """);
        Findings(b, r);
        if (r.Sweep.Count > 0) Sweep(b, r);
        if (r.Mitigations.Count > 0) Mitigations(b, r);
        b.Append("<h2>Teacher</h2>");
        ConditionTable(b, [r.Teacher]);
        b.Append($"<h2>Settings</h2><pre>{H(JsonSerializer.Serialize(s, JsonReportWriter.Options))}</pre></body></html>");
        return b.ToString();
    }

    private static void Findings(StringBuilder b, LabResult r)
    {
        b.Append("<h2>Findings</h2><ul>");
        if (r.Trend is { } t)
            b.Append($"<li class=\"{(t.Grows ? "pass" : "fail")}\">Bias {(t.Grows ? "grows" : "does not clearly grow")} with the bias ratio: Spearman ρ = {F(t.GenderBiasSpearman ?? double.NaN)} "
                + $"(generation gender bias score), {F(t.ProbeBiasSpearman ?? double.NaN)} (pronoun probes).</li>");
        foreach (var m in r.Mitigations)
            b.Append($"<li class=\"{(m.HalvesBiasWithinFidelity || m.HalvesProbeBiasWithinFidelity ? "pass" : "note")}\"><b>{H(m.Method.Name)}</b>: {H(Summary(m))}.</li>");
        b.Append("</ul>");
    }

    /// <summary>One line per mitigation: relative changes, inherited bias removed and the halving verdicts.</summary>
    public static string Summary(MitigationOutcome m)
    {
        var text = $"gender bias score {Percent(m.GenderBiasChange)} (inherited bias removed: {Percent(m.InheritedGenderBiasRemoved, signed: false)}), "
            + $"probe bias {Percent(m.ProbeBiasChange)} (removed: {Percent(m.InheritedProbeBiasRemoved, signed: false)}), held-out perplexity {Percent(m.PerplexityChange)}";
        var halved = (m.HalvesBiasWithinFidelity, m.HalvesProbeBiasWithinFidelity) switch
        {
            (true, true) => "; halves both bias scores within the 10% fidelity budget",
            (true, false) => "; halves the generation bias score within the 10% fidelity budget",
            (false, true) => "; halves the probe bias within the 10% fidelity budget",
            _ => "",
        };
        return text + halved;
    }

    private static void Sweep(StringBuilder b, LabResult r)
    {
        var ratios = r.Sweep.Select(c => c.Ratio!.Value).ToArray();
        b.Append("<h2>Bias against the bias ratio</h2>");
        b.Append(Charts.Lines("bias ratio γ", "bias score (95% CI)", ratios, r.Sweep.First().GenerationBias.Keys
            .Select(a => ($"generation: {a}", r.Sweep.Select(c => c.GenerationBias[a]).Select(e => (e.Mean, e.CiLow, e.CiHigh)).ToArray()))
            .Append(("pronoun probes", r.Sweep.Select(c => ((double?)c.Probes.BiasScore, (double?)null, (double?)null)).ToArray()))));
        b.Append(Charts.Lines("bias ratio γ", "classification (95% CI)", ratios, new[]
        {
            ("accuracy", r.Sweep.Select(c => Triple(c.Classification["gender"].Accuracy)).ToArray()),
            ("TPR gap (gender)", r.Sweep.Select(c => Triple(c.Classification["gender"].MeanTprGap)).ToArray()),
            ("DP difference (gender)", r.Sweep.Select(c => Triple(c.Classification["gender"].MeanDemographicParityDifference)).ToArray()),
            ("TPR gap (race)", r.Sweep.Select(c => Triple(c.Classification["race"].MeanTprGap)).ToArray()),
        }));
        b.Append(Charts.Lines("bias ratio γ", "held-out perplexity", ratios, [("perplexity", r.Sweep.Select(c => ((double?)c.Fidelity.Perplexity, (double?)null, (double?)null)).ToArray())]));
        ConditionTable(b, r.Sweep);
    }

    private static void Mitigations(StringBuilder b, LabResult r)
    {
        var baseline = r.Mitigations[0].Baseline;
        var conditions = r.Sweep.Where(c => c.Name == baseline).Concat(r.Mitigations.Select(m => m.Mitigated)).ToList();
        b.Append($"<h2>Mitigations at γ = {F(r.Settings.MitigationRatio)}</h2>");
        b.Append("<table><tr><th>method</th><th>source</th><th>what it does</th></tr>");
        foreach (var m in r.Mitigations) b.Append($"<tr><td>{H(m.Method.Name)}</td><td>{H(m.Method.Source)}</td><td style=\"text-align:left\">{H(m.Method.Description)}</td></tr>");
        b.Append("</table>");
        if (conditions.Count > 1 && conditions[0].Name == baseline)
            b.Append(Charts.Lines("condition", "gender bias score (95% CI)", Enumerable.Range(0, conditions.Count).Select(i => (double)i).ToArray(),
                [("generation: gender", conditions.Select(c => (c.GenerationBias["gender"].Mean, c.GenerationBias["gender"].CiLow, c.GenerationBias["gender"].CiHigh)).ToArray()),
                 ("pronoun probes", conditions.Select(c => ((double?)c.Probes.BiasScore, (double?)null, (double?)null)).ToArray())],
                conditions.Select(c => c.Name).ToArray()));
        ConditionTable(b, conditions);
    }

    private static void ConditionTable(StringBuilder b, IReadOnlyList<LabCondition> conditions)
    {
        var attributes = conditions[0].GenerationBias.Keys.ToList();
        b.Append("<table><tr><th>condition</th>");
        foreach (var a in attributes) b.Append($"<th>bias: {H(a)}</th>");
        b.Append("<th>probe bias</th><th>stereotype agreement</th><th>accuracy</th><th>TPR gap (gender)</th><th>DP diff. (gender)</th><th>perplexity</th></tr>");
        foreach (var c in conditions)
        {
            b.Append($"<tr><td>{H(c.Name)}</td>");
            foreach (var a in attributes) b.Append($"<td>{Cell(c.GenerationBias[a].Mean, c.GenerationBias[a].CiLow, c.GenerationBias[a].CiHigh)}</td>");
            var g = c.Classification["gender"];
            b.Append($"<td>{F(c.Probes.BiasScore)}</td><td>{F(c.Probes.StereotypeAgreement)}</td><td>{Cell(g.Accuracy)}</td><td>{Cell(g.MeanTprGap)}</td>"
                + $"<td>{Cell(g.MeanDemographicParityDifference)}</td><td>{c.Fidelity.Perplexity.ToString("0.000", CultureInfo.InvariantCulture)}</td></tr>");
        }
        b.Append("</table>");
    }

    private static string Percent(double? change, bool signed = true) => change is null || !double.IsFinite(change.Value) ? "–"
        : change.Value.ToString(signed ? "+0%;-0%;0%" : "0%", CultureInfo.InvariantCulture);
}
