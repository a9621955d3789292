using Spectre.Console;

namespace Fairscope.Cli;

/// <summary>Prints an audit's headline numbers and gate verdicts, and returns the exit code.</summary>
internal static class Summary
{
    public static int Print(ReportInput report, string folder)
    {
        var r = report.Result;
        var table = new Table().AddColumns("attribute", "bias score [[95% CI]]", "worst prompt", "tv to target", "unknown");
        foreach (var a in r.Attributes)
        {
            var bias = a.Metrics.GetValueOrDefault(PromptMetrics.BiasScore);
            table.AddRow(Markup.Escape(a.Name),
                bias is null ? "–" : Markup.Escape($"{F(bias.Mean)} [{F(bias.CiLow)}, {F(bias.CiHigh)}]"),
                bias is null ? "–" : Markup.Escape($"{F(bias.Worst)} {bias.WorstPrompt}"),
                F(a.Metrics.GetValueOrDefault(PromptMetrics.TvTarget)?.Mean),
                F(a.Metrics.GetValueOrDefault(PromptMetrics.UnknownRate)?.Mean));
        }
        AnsiConsole.Write(table);
        if (r.Counterfactual is { } cf)
            AnsiConsole.MarkupLine(Markup.Escape($"counterfactual gaps ({cf.Pairs} pairs): " + string.Join(", ", cf.Gaps.Select(g => $"{g.Key} {F(g.Value.Mean)}"))));
        foreach (var d in r.Diagnostics) Console.Error.WriteLine($"fairscope: note: {d}");
        Console.WriteLine($"Wrote {Path.Combine(folder, HtmlReportWriter.FileName)}, {JsonReportWriter.FileName} and {SamplesCsvWriter.FileName}");
        foreach (var gate in report.Gates) Console.WriteLine($"gate {gate}");
        return report.Gates.All(g => g.Passed) ? CommandRunner.Ok : CommandRunner.GateFailed;
    }

    private static string F(double? v) => v is { } x ? x.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : "–";
}
