using System.Text;
using System.Text.Json;
using static Fairscope.HtmlCells;

namespace Fairscope;

/// <summary>
/// The diffusion laboratory's results.json (the whole <see cref="DiffusionResult"/>, snake_case) and report.html, one
/// self-contained file: findings, every model's single-attribute and intersectional bias and fidelity side by side, the
/// weight searches round by round, and image grids. Each model's full audit report is linked.
/// </summary>
public static class DiffusionReport
{
    /// <summary>Writes both files into <paramref name="folder"/>; returns the HTML report's path.</summary>
    public static Task<string> WriteAsync(DiffusionResult result, string folder) => LaboratoryPage.WriteAsync(result, Render(result, folder), folder);

    /// <summary>The HTML document; images are read from <paramref name="folder"/> and embedded.</summary>
    public static string Render(DiffusionResult r, string folder)
    {
        var s = r.Settings;
        var b = new StringBuilder();
        b.Append(LaboratoryPage.Head("Fairscope: closed-form debiasing of a diffusion model"));
        b.Append($"""
            <h1>Fairscope: closed-form intersectional debiasing of a text-to-image diffusion model</h1>
            <p class="note">After MIST (arXiv 2403.19738) and UCE (Gandikota et al. 2024), on a synthetic world of {PortraitWorld.Size}×{PortraitWorld.Size} portraits:
            a small latent diffusion model trained on skewed occupation portraits, edited in closed form (every attn2.to_k and attn2.to_v, through end-of-text
            embeddings of "{H(DiffusionLab.PromptTemplate)}", preserving the empty prompt; λ = {s.Edit.Lambda}, preserve scale {s.Edit.PreserveScale}), and
            re-audited. Groups are <em>presented</em> attributes of drawn figures and <em>perceived</em> labels of generated pictures, never facts about anyone;
            race is presented by a skin-tone band only. Seed {s.Seed}; {s.SamplesPerPrompt} images per occupation prompt × {PortraitAuditor.Suite.Prompts.Count}
            occupations per model; {r.WallSeconds:0} s.</p>
            <h2>Findings</h2><ul>
            """);
        foreach (var finding in r.Findings) b.Append($"<li>{H(finding)}</li>");
        var attributes = r.Models[0].Bias.Keys.ToList();
        foreach (var (title, pick) in new (string, Func<DiffusionModelReport, IReadOnlyDictionary<string, AggregateEstimate>>)[]
                 { ("Bias score (Shen et al. 2023)", m => m.Bias), ("Deviation ratio (MIST)", m => m.Deviation) })
        {
            b.Append($"</ul><h2>{H(title)}</h2><table><tr><th>model</th>");
            foreach (var a in attributes) b.Append($"<th>{H(a.Replace("_x_", " × "))}</th>");
            b.Append("</tr>");
            foreach (var m in r.Models)
            {
                b.Append($"<tr><td title=\"{H(m.Description)}\">{H(m.Name)}</td>");
                foreach (var a in attributes) b.Append($"<td>{Cell(pick(m)[a].Mean, pick(m)[a].CiLow, pick(m)[a].CiHigh)}</td>");
                b.Append("</tr>");
            }
            b.Append("</table><ul>");
        }
        b.Append("</ul><h2>Fidelity</h2><table><tr><th>model</th><th>occupation recognisable</th><th>distance to world</th><th>preserved-prompt drift</th><th>report</th></tr>");
        foreach (var m in r.Models)
            b.Append($"<tr><td>{H(m.Name)}</td><td>{Cell(m.Recognisability)}</td><td>{F(m.WorldDistance)}</td><td>{Cell(m.PreservedDrift)}</td><td><a href=\"{H(m.Report)}/report.html\">audit</a></td></tr>");
        b.Append("</table><ul class=\"note\">");
        foreach (var m in r.Models) b.Append($"<li><b>{H(m.Name)}</b>: {H(m.Description)}</li>");
        b.Append("""
            </ul><p class="note">Bias score and deviation ratio: mean over occupation prompts with a 95% percentile-bootstrap interval; the deviation ratio is
            max over classes of |share − 1/K| / (1 − 1/K). Recognisable: the classifier reads the prompt's occupation. Distance to world: mean squared error
            (pixels in [0, 1]) to the nearest picture the world can render of the occupation. Preserved-prompt drift: per seed, the distance between the
            unedited and the edited model's images of the empty prompt in the classifier's feature space, over the mean distance between two unedited images.</p>
            <h2>Weight searches</h2><p class="note">Each round edits the original weights with the weights so far, draws images of every occupation, labels them
            with the classifier and moves each class weight by η (1/K − share). The edit uses the weights of the round closest to the target.</p>
            <table><tr><th>edit</th><th>step</th><th>round</th><th>max deviation</th><th>mean deviation</th></tr>
            """);
        foreach (var (name, steps) in r.Searches)
            foreach (var step in steps)
                foreach (var round in step.Search.Rounds)
                    b.Append($"<tr><td>{H(name)}</td><td>{H(step.Attribute.Replace("_x_", " × "))}</td><td>{round.Round}</td><td>{F(round.MaxDeviation)}</td><td>{F(round.MeanDeviation)}</td></tr>");
        b.Append("</table><h2>Generated images</h2><p class=\"note\">One row per occupation (in suite order), the first images of each model's audit; the same seeds in every model.</p>");
        foreach (var m in r.Models)
            b.Append($"<h3>{H(m.Name)}</h3>{Image(Path.Combine(folder, m.Report, PortraitAuditor.ModelSheet), $"images of {m.Name}")}");
        b.Append("<h2>Classifier</h2><table><tr><th>classifier head</th><th>held-out accuracy</th></tr>");
        foreach (var (head, accuracy) in r.Classifier) b.Append($"<tr><td>{H(head)}</td><td>{Cell(accuracy)}</td></tr>");
        b.Append($"</table><h2>Settings</h2><pre>{H(JsonSerializer.Serialize(s, JsonReportWriter.Options))}</pre></body></html>");
        return b.ToString();
    }
}
