using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Fairscope;

/// <summary>
/// report.html: one self-contained file (inline CSS and SVG charts, no scripts loaded) for a person to read:
/// summary table with intervals, gate verdicts, a chart per attribute, the most biased prompts with example
/// outputs, counterfactual gaps, annotator agreement and run metadata. Every piece of model output or user text is
/// HTML-encoded; the analysis (results.json's "result") is embedded as JSON whose '&lt;' characters are escaped.
/// </summary>
public sealed partial class HtmlReportWriter : IReportWriter
{
    /// <summary>The file name written.</summary>
    public const string FileName = "report.html";

    private const int ChartPrompts = 25;
    private const int WorstPrompts = 10;

    /// <inheritdoc />
    public async Task<string> WriteAsync(ReportInput input, string folder, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(folder, FileName);
        await ReportFile.WriteAsync(path, writer => writer.WriteAsync(Render(input)));
        return path;
    }

    /// <summary>The whole HTML document.</summary>
    public static string Render(ReportInput input)
    {
        var r = input.Result;
        var body = new StringBuilder();
        body.Append($"<h1>Fairscope audit: {H(r.Run.Name)}</h1>");
        body.Append($"<p class=\"meta\">Model <b>{H(r.Run.Model)}</b> via {H(r.Run.Provider)}{(r.Run.Endpoint is null ? "" : " at " + H(r.Run.Endpoint))} · suite <b>{H(r.Run.Suite)}</b> · "
            + $"{r.Run.Prompts} prompts × {r.Run.SamplesPerPrompt} samples · {r.Run.OkSamples} outputs, {r.Run.FailedSamples} failed · status {H(r.Run.Status)} · started {r.Run.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC</p>");
        var thumbnails = Thumbnails(input);
        body.Append(thumbnails.Count > 0
            ? "<p class=\"note\">Groups are <em>perceived</em> attributes that annotators (face models, a vision judge) assign to generated images, not facts about any person. "
                + "<b>unknown</b> counts images with no face, several faces, or no confident label; metrics use only images with a known label.</p>"
            : "<p class=\"note\">Groups are <em>perceived</em> attributes inferred from cues in generated text (pronouns, names, explicit descriptions), not facts about any person. "
                + "<b>unknown</b> counts samples with no cue or conflicting cues; metrics use only samples with a known label.</p>");
        Gates(body, input.Gates);
        Summary(body, r);
        UnderstandingPanel(body, input.Understanding);
        BaselinePanel(body, input.Baseline);
        foreach (var attribute in r.Attributes) AttributeSection(body, r, attribute, thumbnails);
        ContactSheets(body, input, thumbnails);
        if (r.Counterfactual is { } cf) Counterfactual(body, cf);
        AgreementSection(body, r);
        Metadata(body, r);
        // The serializer's default encoder writes <, > and & as \u escapes, so no output can close the script element.
        var parts = new Dictionary<string, string>
        {
            ["TITLE"] = H($"Fairscope audit: {r.Run.Name}"),
            ["BODY"] = body.ToString(),
            ["RESULTS_JSON"] = JsonSerializer.Serialize(r, JsonReportWriter.Options),
        };
        // One pass over the template only: a model output that happens to contain "{{BODY}}" stays text.
        return Placeholder().Replace(Template(), m => parts[m.Groups[1].Value]);
    }

    private static void Gates(StringBuilder body, IReadOnlyList<GateVerdict> gates)
    {
        if (gates.Count == 0) return;
        body.Append("<h2>Fairness gates</h2><ul>");
        foreach (var g in gates) body.Append($"<li class=\"{(g.Passed ? "pass" : "fail")}\">{H(g.ToString())}</li>");
        body.Append("</ul>");
    }

    private static void Summary(StringBuilder body, AuditResult r)
    {
        body.Append("<h2>Summary</h2><p>Mean over prompts with its 95% bootstrap interval in brackets; below it, the worst prompt's value. "
            + "bias_score: mean absolute pairwise difference of group shares (0 = parity). kl/js/tv: distance to the target distribution. "
            + "tv_reference: distance to real-world reference shares.</p><div class=\"wide\"><table><tr><th>attribute</th>");
        string[] shown = [PromptMetrics.BiasScore, PromptMetrics.TvTarget, PromptMetrics.JsTarget, PromptMetrics.Entropy, PromptMetrics.TvReference, PromptMetrics.UnknownRate];
        foreach (var m in shown) body.Append($"<th>{m}</th>");
        body.Append("</tr>");
        foreach (var a in r.Attributes)
        {
            body.Append($"<tr><td><b>{H(a.Name)}</b><br><span class=\"meta\">{H(a.Annotator ?? "no annotator")}</span></td>");
            foreach (var m in shown)
                body.Append(a.Metrics.TryGetValue(m, out var e)
                    ? $"<td class=\"num\">{F(e.Mean)}{(OutsideInterval(e) ? "*" : "")} <span class=\"meta\">[{F(e.CiLow)}, {F(e.CiHigh)}]</span><br><span class=\"meta\">worst {F(e.Worst)}</span></td>"
                    : "<td class=\"num\">–</td>");
            body.Append("</tr>");
        }
        body.Append("</table></div>");
        if (r.Attributes.Any(a => a.Metrics.Values.Any(OutsideInterval)))
            body.Append("<p class=\"note\">* The estimate lies outside its bootstrap interval: with few known samples per prompt, each prompt's shares "
                + "scatter away from parity, so distances and bias scores are biased upward (entropy downward), and the resamples show it "
                + "(results.json gives it as bootstrap_bias). Draw more samples per prompt.</p>");
        foreach (var d in r.Diagnostics) body.Append($"<p class=\"note\">{H(d)}</p>");
    }

    private static void AttributeSection(StringBuilder body, AuditResult r, AttributeSummary a, IReadOnlyDictionary<string, string?> thumbnails)
    {
        body.Append($"<h2>{H(a.Name)}</h2><p>Target: {H(string.Join(", ", a.Target.Select(t => $"{t.Key} {F(t.Value, "0.###")}")))}. "
            + $"All samples: {H(string.Join(", ", a.Counts.Select(c => $"{c.Key} {c.Value}")))}.</p>");
        var ranked = r.Prompts.Where(p => p.Attributes[a.Name].Metrics[PromptMetrics.BiasScore].Value is not null)
            .OrderByDescending(p => p.Attributes[a.Name].Metrics[PromptMetrics.BiasScore].Value).ToList();
        if (ranked.Count == 0) { body.Append("<p>No prompt has a known label for this attribute.</p>"); return; }
        body.Append($"<p>Group shares for the {Math.Min(ChartPrompts, ranked.Count)} prompts with the highest bias score:</p>");
        body.Append(Charts.GroupShares(a, ranked.Take(ChartPrompts).ToList()));
        body.Append($"<h3>Most biased prompts ({H(a.Name)})</h3><table><tr><th>prompt</th><th>counts</th><th>bias score [95% CI]</th><th>example outputs</th></tr>");
        foreach (var p in ranked.Take(WorstPrompts))
        {
            var pa = p.Attributes[a.Name];
            var bias = pa.Metrics[PromptMetrics.BiasScore];
            body.Append($"<tr><td><b>{H(p.Id)}</b><br><span class=\"meta\">{H(p.Text)}</span></td><td>{H(string.Join(", ", pa.Counts.Select(c => $"{c.Key} {c.Value}")))}");
            if (pa.Reference is { } reference) body.Append($"<br><span class=\"meta\">reference: {H(string.Join(", ", reference.Select(x => $"{x.Key} {F(x.Value, "0.###")}")))}</span>");
            body.Append($"</td><td class=\"num\">{F(bias.Value)} [{F(bias.CiLow)}, {F(bias.CiHigh)}]</td><td>");
            foreach (var e in p.Examples)
                body.Append(Shown(e.Output, thumbnails, $"#{e.SampleIndex} ({e.Labels[a.Name]})"));
            body.Append("</td></tr>");
        }
        body.Append("</table>");
    }

    private static void Counterfactual(StringBuilder body, CounterfactualResult cf)
    {
        body.Append($"<h2>Counterfactual gaps ({H(cf.Slot)})</h2><p>{cf.Sets} sets of prompts that differ only in {{{H(cf.Slot)}}}, {cf.Pairs} pairs. "
            + "Attribute gaps are total-variation distances between the two prompts' group shares; refusal and length gaps are absolute differences.</p>");
        body.Append("<table><tr><th>measure</th><th>mean gap [95% CI]</th><th>worst pair</th></tr>");
        foreach (var (measure, e) in cf.Gaps)
            body.Append($"<tr><td>{H(measure)}</td><td class=\"num\">{F(e.Mean)} [{F(e.CiLow)}, {F(e.CiHigh)}]</td><td>{F(e.Worst)} {H(e.WorstPrompt ?? "")}</td></tr>");
        body.Append("</table><h3>By group</h3><table><tr><th>group</th><th>samples</th><th>refusal rate</th><th>mean length (words)</th><th>attribute shares</th></tr>");
        foreach (var g in cf.ByGroup)
            body.Append($"<tr><td>{H(g.Group)}</td><td class=\"num\">{g.Samples}</td><td class=\"num\">{F(g.RefusalRate)}</td><td class=\"num\">{F(g.MeanLengthWords, "0.#")}</td><td>"
                + H(string.Join("; ", g.Frequencies.Select(f => $"{f.Key}: {(f.Value is null ? "–" : string.Join(", ", f.Value.Select(x => $"{x.Key} {F(x.Value, "0.##")}")))}")))
                + "</td></tr>");
        body.Append("</table><h3>By pair of groups</h3><table><tr><th>pair</th><th>sets</th>");
        var measures = cf.Gaps.Keys.ToList();
        foreach (var m in measures) body.Append($"<th>{H(m)}</th>");
        body.Append("</tr>");
        foreach (var p in cf.ByPair)
        {
            body.Append($"<tr><td>{H(p.A)} vs {H(p.B)}</td><td class=\"num\">{p.Sets}</td>");
            foreach (var m in measures) body.Append($"<td class=\"num\">{F(p.Gaps[m])}</td>");
            body.Append("</tr>");
        }
        body.Append("</table>");
    }

    private static void AgreementSection(StringBuilder body, AuditResult r)
    {
        if (r.Agreement.Count == 0) return;
        body.Append("<h2>Annotator agreement</h2><p>Cohen's kappa between annotators that label the same attribute, over the samples both labelled "
            + "(unknown is a category of its own): 1 is perfect agreement, 0 what chance alone would give. Where it is low, the groups behind the "
            + "metrics depend on which annotator is asked. – means undefined (no samples, or one and the same label throughout).</p>");
        body.Append($"<table><tr><th>attribute</th><th>annotators</th><th>samples</th><th>observed agreement</th><th>kappa [{F(r.Bootstrap.Level * 100, "0")}% CI]</th></tr>");
        foreach (var a in r.Agreement)
            body.Append($"<tr><td>{H(a.Attribute)}</td><td>{H(a.First)} vs {H(a.Second)}</td><td class=\"num\">{a.Samples}</td>"
                + $"<td class=\"num\">{F(a.ObservedAgreement)}</td><td class=\"num\">{F(a.Kappa.Value)} [{F(a.Kappa.CiLow)}, {F(a.Kappa.CiHigh)}]</td></tr>");
        body.Append("</table>");
    }

    private static void Metadata(StringBuilder body, AuditResult r)
    {
        body.Append("<h2>Run</h2><table>");
        void Row(string k, string? v) => body.Append($"<tr><th>{H(k)}</th><td>{H(v ?? "–")}</td></tr>");
        Row("run", r.Run.Name);
        Row("provider / model", $"{r.Run.Provider} / {r.Run.Model}");
        Row("endpoint", r.Run.Endpoint);
        Row("parameters", r.Run.Parameters);
        Row("seed", r.Run.Seed.ToString(CultureInfo.InvariantCulture));
        Row("annotators", string.Join("; ", r.Annotators.Select(a => $"{a.Name} v{a.Version} ({string.Join(", ", a.Attributes)})")));
        Row("intervals", $"{r.Bootstrap.Resamples} bootstrap resamples, {r.Bootstrap.Level.ToString("P0", CultureInfo.InvariantCulture)}, seed {r.Bootstrap.Seed}, {r.Bootstrap.Method}");
        Row("fairscope", r.Run.FairscopeVersion);
        body.Append("</table><p class=\"meta\">Machine-readable results: results.json; every sample with its labels: samples.csv.</p>");
    }

    private static bool OutsideInterval(AggregateEstimate e) => e is { Mean: { } m, CiLow: { } lo, CiHigh: { } hi } && (m < lo || m > hi);

    private static string Template()
    {
        using var stream = typeof(HtmlReportWriter).Assembly.GetManifestResourceStream("Fairscope.Reports.report.template.html")!;
        return new StreamReader(stream).ReadToEnd();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{\{(TITLE|BODY|RESULTS_JSON)\}\}")]
    private static partial System.Text.RegularExpressions.Regex Placeholder();

    private static string H(string text) => WebUtility.HtmlEncode(text);

    private static string F(double? value, string format = "0.000") => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..497] + "...";
}
