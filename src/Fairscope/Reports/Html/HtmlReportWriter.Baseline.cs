using System.Text;

namespace Fairscope;

// The comparison with a baseline run (fairscope audit --baseline): bias before and after per attribute, and fidelity proxies.
public sealed partial class HtmlReportWriter
{
    private static void BaselinePanel(StringBuilder body, RunComparisonResult? comparison)
    {
        if (comparison is null) return;
        body.Append($"<h2>Compared with baseline run {H(comparison.Baseline)}</h2><p>Mean bias score over the {comparison.Prompts} prompts both runs share "
            + "(where both have a known label), with 95% bootstrap intervals; the difference is this run minus the baseline, so a negative "
            + $"difference is less bias. Baseline parameters: <code>{H(comparison.BaselineParameters)}</code>.</p>"
            + "<table><tr><th>attribute</th><th>baseline bias</th><th>this run</th><th>difference</th><th>prompts</th></tr>");
        foreach (var a in comparison.Attributes)
            body.Append($"<tr><td><b>{H(a.Attribute)}</b></td><td class=\"num\">{E(a.BaselineBias)}</td><td class=\"num\">{E(a.Bias)}</td>"
                + $"<td class=\"num\"><b>{E(a.Difference)}</b></td><td class=\"num\">{a.Prompts}</td></tr>");
        body.Append("</table>");
        var f = comparison.Fidelity;
        if (f.RefusalRate is null && f.MeanLengthWords is null) return;
        body.Append("<p>Fidelity proxies (means over shared prompts): "
            + $"refusal rate {F(f.BaselineRefusalRate, "0.0%")} → {F(f.RefusalRate, "0.0%")} ({F(f.RefusalRateDifference, "+0.0%;-0.0%;0.0%")}); "
            + $"mean length {F(f.BaselineMeanLengthWords, "0.0")} → {F(f.MeanLengthWords, "0.0")} words ({F(f.MeanLengthDifference, "+0.0;-0.0;0.0")}).</p>");
    }
}
