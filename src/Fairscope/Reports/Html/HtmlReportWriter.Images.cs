using System.Collections.Concurrent;
using System.Text;

namespace Fairscope;

// Image runs: thumbnails embedded as data URIs (the report stays one file: ~4 KB per image, ~5 MB for 1,000),
// contact sheets per prompt grouped by the first attribute's label, and the understanding-vs-generation panel.
public sealed partial class HtmlReportWriter
{
    private const int ThumbnailPixels = 96;

    /// <summary>JPEG thumbnails of every stored image of the run as data URIs, by reference; an unreadable image maps to
    /// null and is shown as its reference.</summary>
    private static IReadOnlyDictionary<string, string?> Thumbnails(ReportInput input)
    {
        if (input.Images is not { } images) return new Dictionary<string, string?>();
        var references = input.Samples.Where(s => s.Ok && ImageStore.IsReference(s.Output)).Select(s => s.Output!).Distinct().ToList();
        var thumbnails = new ConcurrentDictionary<string, string?>();
        Parallel.ForEach(references, reference =>
        {
            try { thumbnails[reference] = "data:image/jpeg;base64," + Convert.ToBase64String(ImageDecoder.Thumbnail(images.Load(reference), ThumbnailPixels, 70)); }
            catch (FairscopeException) { thumbnails[reference] = null; }
        });
        return thumbnails;
    }

    /// <summary>A sample's output for the report: a thumbnail for an image, escaped text otherwise.</summary>
    private static string Shown(string output, IReadOnlyDictionary<string, string?> thumbnails, string caption = "") =>
        thumbnails.TryGetValue(output, out var uri) && uri is not null
            ? $"<figure class=\"thumb\"><img src=\"{uri}\" alt=\"{H(output)}\" title=\"{H(output)}\"><figcaption>{H(caption)}</figcaption></figure>"
            : $"<div class=\"output\">{(caption.Length > 0 ? H(caption) + ": " : "")}{H(Truncate(output))}</div>";

    private static void ContactSheets(StringBuilder body, ReportInput input, IReadOnlyDictionary<string, string?> thumbnails)
    {
        if (thumbnails.Count == 0) return;
        var r = input.Result;
        var plain = r.Attributes.Where(a => a.Components.Count == 0 && a.Annotator is not null).ToList();
        if (plain.Count == 0) return;
        // The labels the metrics use: each attribute's primary annotator, at its current version.
        var versions = r.Annotators.ToDictionary(a => a.Name, a => a.Version);
        var labels = input.Annotations
            .Where(a => plain.Any(p => p.Name == a.Attribute && p.Annotator == a.Annotator) && versions.GetValueOrDefault(a.Annotator) == a.AnnotatorVersion)
            .ToLookup(a => (a.PromptId, a.SampleIndex));
        var grouping = plain[0];
        body.Append($"<h2>Contact sheets</h2><p>Every image, per prompt, grouped by perceived {H(grouping.Name)}; under each image the labels of "
            + $"{H(string.Join(", ", plain.Select(a => $"{a.Name} ({a.Annotator})")))}. Open a prompt to see its images.</p>");
        var byPrompt = input.Samples.Where(s => s.Ok && thumbnails.ContainsKey(s.Output!)).ToLookup(s => s.PromptId);
        foreach (var prompt in r.Prompts.Where(p => byPrompt[p.Id].Any()))
        {
            body.Append($"<details><summary><b>{H(prompt.Id)}</b> <span class=\"meta\">{H(prompt.Text)} · {byPrompt[prompt.Id].Count()} images</span></summary>");
            var groups = byPrompt[prompt.Id].GroupBy(s => LabelOf(s, grouping.Name)).OrderBy(g => g.Key == DemographicAttribute.Unknown).ThenBy(g => g.Key, StringComparer.Ordinal);
            foreach (var group in groups)
            {
                body.Append($"<div class=\"sheet\"><h4>{H(group.Key)} ({group.Count()})</h4>");
                foreach (var s in group.OrderBy(s => s.SampleIndex))
                    body.Append(Shown(s.Output!, thumbnails, $"#{s.SampleIndex} " + string.Join(" · ", plain.Select(a => LabelOf(s, a.Name)))));
                body.Append("</div>");
            }
            body.Append("</details>");
        }

        string LabelOf(SampleRecord s, string attribute) =>
            labels[(s.PromptId, s.SampleIndex)].FirstOrDefault(a => a.Attribute == attribute)?.Label ?? DemographicAttribute.Unknown;
    }

    private static void UnderstandingPanel(StringBuilder body, UnderstandingResult? understanding)
    {
        if (understanding is null) return;
        body.Append($"<h2>Understanding vs generation (partial alignment)</h2><p>The same prompts were put to {H(understanding.Model)} as questions ");
        body.Append(understanding.Mode == "ask"
            ? "(“What is the <i>attribute</i> of the person in this description: …? Possible answers: …, unknown”, with a blank image). "
                + "Answering <b>unknown</b> is the fair answer and counts as an even split over the groups."
            : "with a balanced set of numbered images, one per group, in random order; it picked the one that fits the prompt. Unreadable picks are left out.");
        body.Append(" Bias scores are means over the prompts measured both ways, with 95% bootstrap intervals; a positive gap means the model "
            + "understands more fairly than it generates (arXiv 2502.03429).</p><table><tr><th>attribute</th><th>generation bias</th><th>understanding bias</th>"
            + "<th>gap</th><th>prompts</th><th>answers</th><th>no group named</th></tr>");
        foreach (var a in understanding.Alignment)
        {
            // Only the questions about this attribute: the others leave it unknown by construction.
            var counts = understanding.Analysis.Prompts.Where(p => p.Id.StartsWith(a.Attribute + "/", StringComparison.Ordinal))
                .SelectMany(p => p.Attributes[a.Attribute].Counts).GroupBy(c => c.Key).Select(g => $"{g.Key} {g.Sum(c => c.Value)}");
            body.Append($"<tr><td><b>{H(a.Attribute)}</b></td><td class=\"num\">{E(a.GenerationBias)}</td><td class=\"num\">{E(a.UnderstandingBias)}</td>"
                + $"<td class=\"num\"><b>{E(a.Gap)}</b></td><td class=\"num\">{a.Prompts}</td><td>{H(string.Join(", ", counts))}</td>"
                + $"<td class=\"num\">{F(a.AbstentionRate, "0.0%")}</td></tr>");
        }
        body.Append("</table>");
        var widest = understanding.Alignment.SelectMany(a => a.ByPrompt.Select(p => (a.Attribute, p)))
            .OrderByDescending(x => Math.Abs(x.p.GenerationBias - x.p.UnderstandingBias)).Take(WorstPrompts).ToList();
        if (widest.Count > 0)
        {
            body.Append("<h3>Prompts with the widest gaps</h3><table><tr><th>attribute</th><th>prompt</th><th>generation bias (n)</th><th>understanding bias (n)</th></tr>");
            foreach (var (attribute, p) in widest)
                body.Append($"<tr><td>{H(attribute)}</td><td>{H(p.PromptId)}</td><td class=\"num\">{F(p.GenerationBias)} ({p.GenerationSamples})</td>"
                    + $"<td class=\"num\">{F(p.UnderstandingBias)} ({p.UnderstandingSamples})</td></tr>");
            body.Append("</table>");
        }
        foreach (var d in understanding.Diagnostics) body.Append($"<p class=\"note\">{H(d)}</p>");
    }

    private static string E(Estimate e) => $"{F(e.Value)} <span class=\"meta\">[{F(e.CiLow)}, {F(e.CiHigh)}]</span>";
}
