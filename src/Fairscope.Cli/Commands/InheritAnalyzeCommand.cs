using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Fairscope.Cli;

/// <summary><c>fairscope inherit analyze --original A --augmented B</c>: the three misalignments of an augmented data set against
/// its original, for every bias ratio, and the largest ratio under a threshold (see <see cref="InheritanceAnalyzer"/>).</summary>
internal static class InheritAnalyzeCommand
{
    public static Command Create()
    {
        var original = new Option<string>("--original") { Description = "The original data set: JSONL (one object a line) or .csv with a header", Required = true };
        var augmented = new Option<string>("--augmented") { Description = "The LLM-augmented data set, same format", Required = true };
        var field = new Option<string>("--field") { Description = "The text field (JSONL key or CSV column)", DefaultValueFactory = _ => "text" };
        var threshold = new Option<double>("--max-misalignment") { Description = "Largest overall misalignment a recommended mix may have (0–1)", DefaultValueFactory = _ => 0.1 };
        var ratios = new Option<string>("--ratios") { Description = "Bias ratios to tabulate, comma-separated",
            DefaultValueFactory = _ => string.Join(",", InheritanceAnalyzer.StandardRatios.Select(r => r.ToString(CultureInfo.InvariantCulture))) };
        var topWords = new Option<int>("--top-words") { Description = "Words of the topic distribution (the most frequent of both sets; the rest in one bin)", DefaultValueFactory = _ => 500 };
        var resamples = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for the intervals", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Bootstrap seed: same seed, same intervals", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Folder for report.html and results.json", DefaultValueFactory = _ => "runs/inherit-analyze" };
        var command = new Command("analyze", "Compare an original data set with an LLM-augmented one: values, group-data and distribution misalignments for any bias ratio, "
            + "with intervals, charts and the largest ratio under --max-misalignment")
        {
            original, augmented, field, threshold, ratios, topWords, resamples, seed, output,
        };
        command.SetAction(CommandRunner.Guard(async (parse, ct) =>
        {
            if (parse.GetValue(resamples) < 1) throw new FairscopeException($"--bootstrap must be at least 1, not {parse.GetValue(resamples)}");
            var name = parse.GetValue(field)!;
            var a = TextCorpus.Read(parse.GetValue(original)!, name);
            var b = TextCorpus.Read(parse.GetValue(augmented)!, name);
            var analyzer = new InheritanceAnalyzer(new Bootstrap(parse.GetValue(resamples), Seed: parse.GetValue(seed)), parse.GetValue(topWords));
            var result = await Task.Run(() => analyzer.Analyze(a, b, parse.GetValue(threshold), LaboratoryCommands.ParseRatios(parse.GetValue(ratios)!)), ct);
            var folder = parse.GetValue(output)!;
            var report = await InheritanceReport.WriteAsync(result, folder);
            Print(result);
            Console.WriteLine($"{InheritanceReport.Summary(result.Recommendation)}.");
            Console.WriteLine($"Report: {report}; results: {Path.Combine(folder, JsonReportWriter.FileName)}");
            return CommandRunner.Ok;
        }));
        return command;
    }

    private static void Print(InheritanceAnalysis result)
    {
        var measures = result.Mixes[0].Measures.Keys.Where(m => !m.StartsWith("group_js:", StringComparison.Ordinal)).ToList();
        var table = new Table().AddColumns(["γ", .. measures]);
        foreach (var mix in result.Mixes)
            table.AddRow([mix.Ratio.ToString("0.00", CultureInfo.InvariantCulture), .. measures.Select(m => mix.Measures[m].Value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "–")]);
        AnsiConsole.Write(table);
    }
}
