using System.Globalization;
using System.Text;
using System.Text.Json;
using static Fairscope.HtmlCells;

namespace Fairscope;

/// <summary>results.json (the whole <see cref="InheritanceAnalysis"/>, snake_case) and a self-contained report.html of
/// <c>fairscope inherit analyze</c>: the recommended mix, the misalignments against the bias ratio, and each of the three
/// misalignments with its method, intervals and a ScottPlot chart.</summary>
public static class InheritanceReport
{
    /// <summary>Writes both files into <paramref name="folder"/>; returns the HTML report's path.</summary>
    public static async Task<string> WriteAsync(InheritanceAnalysis analysis, string folder)
    {
        Directory.CreateDirectory(folder);
        await ReportFile.WriteAsync(Path.Combine(folder, JsonReportWriter.FileName), w => w.WriteAsync(JsonSerializer.Serialize(analysis, JsonReportWriter.Options)));
        var html = Path.Combine(folder, HtmlReportWriter.FileName);
        await ReportFile.WriteAsync(html, w => w.WriteAsync(Render(analysis)));
        return html;
    }

    /// <summary>One line: the recommended bias ratio and what limits it.</summary>
    public static string Summary(MixRecommendation r) => r.Ratio is not { } ratio
        ? $"no mix stays under the misalignment threshold {F(r.Threshold)}"
        : $"largest bias ratio with overall misalignment ≤ {F(r.Threshold)}: γ = {ratio.ToString("0.00", CultureInfo.InvariantCulture)} "
          + $"(upper 95% bound under it up to γ = {(r.ConservativeRatio is { } c ? c.ToString("0.00", CultureInfo.InvariantCulture) : "–")})"
          + (r.Binding is null ? "; every mix stays under it" : $"; first exceeded by {r.Binding}");

    /// <summary>The HTML document.</summary>
    public static string Render(InheritanceAnalysis r)
    {
        var b = new StringBuilder();
        b.Append($"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fairscope: bias-inheritance analysis</title>
            <style>body{"{"}font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222{"}"}
            table{"{"}border-collapse:collapse;margin:1em 0{"}"}td,th{"{"}border:1px solid #ccc;padding:3px 8px;text-align:right{"}"}
            th:first-child,td:first-child{"{"}text-align:left{"}"}.note{"{"}color:#555{"}"}</style></head><body>
            <h1>Bias-inheritance analysis</h1>
            <p class="note">{r.OriginalDocuments} original and {r.AugmentedDocuments} augmented documents. The three misalignments of "Understanding and
            Mitigating the Bias Inheritance in LLM-based Data Augmentation on Downstream Tasks" (arXiv 2502.04419), for every mix at bias ratio γ
            (the augmented share) against the original set. Groups are <em>perceived</em> from cues in the text, never facts about anyone.
            95% percentile-bootstrap intervals, {r.Bootstrap.Resamples} resamples, seed {r.Bootstrap.Seed}, documents resampled within each set.</p>
            <h2>Recommended mix</h2><p><b>{H(Summary(r.Recommendation))}</b>.</p>
            """);
        var xs = r.Curve.Select(c => c.Ratio).ToArray();
        var shown = r.Curve[0].Measures.Keys.Where(m => !m.StartsWith("group_js:", StringComparison.Ordinal)).ToList();
        b.Append("<h2>Misalignment against the bias ratio</h2>");
        b.Append(Charts.Lines("bias ratio γ (augmented share)", "misalignment vs original (95% CI)", xs,
            shown.Select(m => (m, r.Curve.Select(c => Triple(c.Measures[m])).ToArray()))
                .Append(("threshold", xs.Select(_ => ((double?)r.Recommendation.Threshold, (double?)null, (double?)null)).ToArray()))));
        var measures = r.Mixes[0].Measures.Keys.ToList();
        b.Append("<table><tr><th>γ</th>");
        foreach (var m in measures) b.Append($"<th>{H(m)}</th>");
        b.Append("</tr>");
        foreach (var mix in r.Mixes)
        {
            b.Append($"<tr><td>{F(mix.Ratio)}</td>");
            foreach (var m in measures) b.Append($"<td>{Cell(mix.Measures[m])}</td>");
            b.Append("</tr>");
        }
        b.Append("</table><p class=\"note\">γ = 1 compares the augmented set with the original.</p>");

        b.Append($"<h2>Group data</h2><p class=\"note\">{H(r.Methods["group"])}</p>");
        foreach (var g in r.Groups)
        {
            var categories = g.Categories.ToArray();
            if (categories.Length <= 12)
                b.Append(Charts.Lines(g.Attribute, "share of labelled documents (95% CI)", Enumerable.Range(0, categories.Length).Select(i => (double)i).ToArray(),
                    [("original", categories.Select(c => Triple(g.Original[c])).ToArray()), ("augmented", categories.Select(c => Triple(g.Augmented[c])).ToArray())], categories));
            b.Append($"<table><tr><th>{H(g.Attribute)}</th><th>original</th><th>augmented</th></tr>");
            foreach (var c in categories) b.Append($"<tr><td>{H(c)}</td><td>{Cell(g.Original[c])}</td><td>{Cell(g.Augmented[c])}</td></tr>");
            b.Append($"<tr><td><i>labelled documents</i></td><td>{Cell(g.OriginalLabelled)}</td><td>{Cell(g.AugmentedLabelled)}</td></tr></table>");
        }

        b.Append($"<h2>Values</h2><p class=\"note\">{H(r.Methods["values"])}</p>");
        var groups = r.Values.Select(v => $"{v.Attribute}:{v.Group}").ToArray();
        b.Append(Charts.Lines("group", "negative share of evaluative cues (95% CI)", Enumerable.Range(0, groups.Length).Select(i => (double)i).ToArray(),
            [("original", r.Values.Select(v => Triple(v.OriginalNegativeShare)).ToArray()), ("augmented", r.Values.Select(v => Triple(v.AugmentedNegativeShare)).ToArray())], groups));
        b.Append("<table><tr><th>group</th><th>negative share: original</th><th>augmented</th><th>cues per document: original</th><th>augmented</th></tr>");
        foreach (var v in r.Values)
            b.Append($"<tr><td>{H(v.Attribute)}: {H(v.Group)}</td><td>{Cell(v.OriginalNegativeShare)}</td><td>{Cell(v.AugmentedNegativeShare)}</td>"
                + $"<td>{F(v.OriginalCuesPerDocument)}</td><td>{F(v.AugmentedCuesPerDocument)}</td></tr>");
        b.Append("</table>");

        b.Append($"<h2>Data distribution</h2><p class=\"note\">{H(r.Methods["topic_js"])} ({r.TopWords} words) {H(r.Methods["length_js"])}</p>");
        b.Append($"<p>Mean length in words: original {Cell(r.OriginalMeanWords)}, augmented {Cell(r.AugmentedMeanWords)}.</p>");
        b.Append("<h2>Methods</h2><ul>");
        foreach (var (name, text) in r.Methods) b.Append($"<li><b>{H(name)}</b>: {H(text)}</li>");
        b.Append("</ul></body></html>");
        return b.ToString();
    }
}
