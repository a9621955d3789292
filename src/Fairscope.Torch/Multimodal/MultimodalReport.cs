using System.Text;
using System.Text.Json;
using static Fairscope.HtmlCells;

namespace Fairscope;

/// <summary>
/// The multimodal laboratory's results.json (the whole <see cref="MultimodalResult"/>, snake_case) and report.html, one
/// self-contained file: findings, the world, every model's generation bias and fidelity side by side with image grids,
/// partial alignment, and the locate analyses. Each model's full audit report (contact sheets per prompt, understanding
/// panel) is linked.
/// </summary>
public static class MultimodalReport
{
    /// <summary>Writes both files into <paramref name="folder"/>; returns the HTML report's path.</summary>
    public static Task<string> WriteAsync(MultimodalResult result, string folder) => LaboratoryPage.WriteAsync(result, Render(result, folder), folder);

    /// <summary>The HTML document; images are read from <paramref name="folder"/> and embedded.</summary>
    public static string Render(MultimodalResult r, string folder)
    {
        var s = r.Settings;
        var b = new StringBuilder();
        b.Append(LaboratoryPage.Head("Fairscope: unified multimodal model laboratory"));
        b.Append($"""
            <h1>Fairscope: a unified multimodal model that sees and draws</h1>
            <p class="note">After "On Fairness of Unified Multimodal Large Language Model for Image Generation" (arXiv 2502.03429), on a synthetic world of
            {PortraitWorld.Size}×{PortraitWorld.Size} portraits. Groups are <em>presented</em> attributes of drawn figures and <em>perceived</em> labels of
            generated pictures, never facts about anyone; in this world race is presented by a skin-tone band only. Seed {s.Seed};
            {s.SamplesPerPrompt} images per occupation prompt × {PortraitAuditor.Suite.Prompts.Count} occupations per model; {r.WallSeconds:0} s.</p>
            <h2>Findings</h2><ul>
            """);
        foreach (var finding in r.Findings) b.Append($"<li>{H(finding)}</li>");
        b.Append("</ul><h2>Models</h2><table><tr><th>model</th>");
        var attributes = r.Models[0].GenerationBias.Keys.ToList();
        foreach (var a in attributes) b.Append($"<th>generation bias: {H(a.Replace("_x_", " × "))}</th>");
        foreach (var q in PortraitData.QuestionAttributes) b.Append($"<th>understanding accuracy: {H(q)}</th>");
        b.Append("<th>occupation recognisable</th><th>distance to world</th><th>report</th></tr>");
        foreach (var m in r.Models)
        {
            b.Append($"<tr><td title=\"{H(m.Description)}\">{H(m.Name)}</td>");
            foreach (var a in attributes) b.Append($"<td>{Cell(m.GenerationBias[a].Mean, m.GenerationBias[a].CiLow, m.GenerationBias[a].CiHigh)}</td>");
            foreach (var q in PortraitData.QuestionAttributes) b.Append($"<td>{Cell(m.UnderstandingAccuracy[q])}</td>");
            b.Append($"<td>{Cell(m.Recognisability)}</td><td>{F(m.WorldDistance)}</td><td><a href=\"{H(m.Report)}/report.html\">audit</a></td></tr>");
        }
        b.Append("</table><ul class=\"note\">");
        foreach (var m in r.Models) b.Append($"<li><b>{H(m.Name)}</b>: {H(m.Description)}</li>");
        b.Append("""
            </ul><p class="note">Bias score: Shen et al. 2023, mean over occupation prompts with a 95% percentile-bootstrap interval. Understanding accuracy:
            greedy answers to 200 held-out questions about balanced portraits and empty scenes. Recognisable: the classifier reads the prompt's occupation.
            Distance to world: mean squared error (pixels in [0, 1]) from each generated image to the nearest picture the world can render of its occupation.</p>
            <h2>Partial alignment (ask mode)</h2><table><tr><th>model</th><th>attribute</th><th>generation bias</th><th>understanding bias</th><th>gap</th><th>abstentions</th></tr>
            """);
        foreach (var m in r.Models)
            foreach (var a in m.Alignment)
                b.Append($"<tr><td>{H(m.Name)}</td><td>{H(a.Attribute)}</td><td>{Cell(a.GenerationBias)}</td><td>{Cell(a.UnderstandingBias)}</td><td>{Cell(a.Gap)}</td><td>{F(a.AbstentionRate ?? double.NaN)}</td></tr>");
        b.Append("</table>");
        Locate(b, r.Locate);
        b.Append("<h2>Generated images</h2><p class=\"note\">One row per occupation (in suite order), the first images of each model's audit.</p>");
        foreach (var m in r.Models)
            b.Append($"<h3>{H(m.Name)}</h3>{Image(Path.Combine(folder, m.Report, PortraitAuditor.ModelSheet), $"images of {m.Name}")}");
        b.Append($"<h2>The world</h2><p class=\"note\">Twelve portraits per occupation drawn from the organism's skewed world.</p>{Image(Path.Combine(folder, MultimodalLab.WorldSheet), "the world")}");
        b.Append($"<h2>Classifier and tokenizer</h2><table><tr><th>classifier head</th><th>held-out accuracy</th></tr>");
        foreach (var (head, accuracy) in r.Classifier) b.Append($"<tr><td>{H(head)}</td><td>{Cell(accuracy)}</td></tr>");
        b.Append($"</table><p>Image tokenizer: reconstruction MSE {F(r.Tokenizer.Mse)}, {r.Tokenizer.CodesUsed} codes used of {s.Tokenizer.CodebookSize}.</p><table><tr><th>group</th><th>reconstruction MSE</th></tr>");
        foreach (var (attribute, groups) in r.Tokenizer.MseByGroup)
            foreach (var (group, mse) in groups) b.Append($"<tr><td>{H(attribute)}: {H(group)}</td><td>{F(mse)}</td></tr>");
        b.Append($"</table><h2>Settings</h2><pre>{H(JsonSerializer.Serialize(s, JsonReportWriter.Options))}</pre></body></html>");
        return b.ToString();
    }

    private static void Locate(StringBuilder b, LocateReport locate)
    {
        b.Append("<h2>Where the bias lives</h2><h3>Vision tokenizer: linear probe</h3><table><tr><th>attribute</th><th>held-out accuracy</th><th>majority baseline</th><th>train / test</th></tr>");
        foreach (var p in locate.Probe) b.Append($"<tr><td>{H(p.Attribute)}</td><td>{Cell(p.Accuracy)}</td><td>{F(p.MajorityBaseline)}</td><td>{p.Train} / {p.Test}</td></tr>");
        b.Append("</table><h3>Language model: image-token distributions</h3><p class=\"note\">Exact: each prompt's expected code histogram over 48 balanced reference portraits per occupation, weighted by their exact probability under the prompt. Sampled: histograms of the codes of images drawn for the prompt (the paper's method).</p><table><tr><th>attribute</th><th>hit rate (exact)</th><th>hit rate (sampled)</th><th>occupations</th><th>mean dominant share</th></tr>");
        foreach (var e in locate.Exact.Attributes)
        {
            var sampled = locate.Sampled.Attributes.FirstOrDefault(x => x.Attribute == e.Attribute);
            b.Append($"<tr><td>{H(e.Attribute)}</td><td>{Cell(e.HitRate)}</td><td>{(sampled is null ? "–" : Cell(sampled.HitRate))}</td><td>{e.WithDominant} / {e.Concepts}</td><td>{F(e.MeanDominantShare ?? double.NaN)}</td></tr>");
        }
        b.Append("</table><table><tr><th>occupation</th><th>attribute</th><th>dominant in images (share)</th><th>nearest prompt (exact)</th><th>JSD to each group (exact)</th></tr>");
        foreach (var l in locate.Exact.Locations)
            b.Append($"<tr><td>{H(l.Concept)}</td><td>{H(l.Attribute)}</td><td>{H(l.Dominant ?? "–")} ({F(l.DominantShare ?? double.NaN)})</td><td>{H(l.Nearest)}</td>"
                + $"<td>{H(string.Join(", ", l.Divergences.Select(d => $"{d.Key} {F(d.Value)}")))}</td></tr>");
        b.Append("</table>");
    }
}
