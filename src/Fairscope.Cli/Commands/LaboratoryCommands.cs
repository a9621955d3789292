using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Fairscope.Cli;

/// <summary>
/// The bias-inheritance laboratory's commands: <c>demo</c> (everything at reduced size, the README's first command),
/// <c>inherit</c> (the bias-ratio sweep) and <c>mitigate</c> (mitigations against the unmitigated student at one
/// ratio). Each writes report.html, results.json and a run store into <c>--out</c> and prints a short table.
/// </summary>
internal static class LaboratoryCommands
{
    public static Command Demo()
    {
        var common = new CommonOptions("runs/demo");
        var command = new Command("demo", "The whole loop on the built-in model in a few minutes on a CPU: build a synthetic world, train a biased teacher, "
            + "sweep the bias ratio of its augmented data, apply every mitigation, re-audit, and write one report");
        common.AddTo(command);
        command.SetAction(CommandRunner.Guard((parse, ct) =>
            RunAsync(common, parse, "demo", LabSettings.Demo(parse.GetValue(common.Seed)), sweep: true, LabMethod.Mitigations, ct)));
        command.Subcommands.Add(Multimodal());
        command.Subcommands.Add(Diffusion());
        return command;
    }

    private static Command Multimodal()
    {
        var common = new CommonOptions("runs/demo-multimodal");
        var command = new Command("multimodal", "The unified multimodal model on a CPU: render a portrait world, train an attribute classifier, an image tokenizer "
            + "and a model that draws and answers; audit generation and understanding, locate the bias (tokenizer or language model), apply balanced "
            + "preference optimisation and the understanding-only control, re-audit, and write one report");
        common.AddTo(command);
        command.SetAction(CommandRunner.Guard(async (parse, ct) =>
        {
            var folder = parse.GetValue(common.Out)!;
            var settings = MultimodalSettings.Demo(parse.GetValue(common.Seed));
            var result = await ConsoleProgress.TrackAsync(progress =>
                new MultimodalLab(settings, new ModelCache(parse.GetValue(common.Cache)!), folder, new LabProgress(progress)).RunAsync(ct));
            var report = await MultimodalReport.WriteAsync(result, folder);
            var table = new Table().AddColumns("model", "gender bias [[95% CI]]", "race bias", "gender × race", "understanding (gender)", "recognisable");
            foreach (var m in result.Models)
                table.AddRow(new[] { m.Name, MultimodalFindings.Format(m.GenerationBias["gender"]), MultimodalFindings.Format(m.GenerationBias["race"]),
                    MultimodalFindings.Format(m.GenerationBias["gender_x_race"]), MultimodalFindings.Format(m.UnderstandingAccuracy["gender"]),
                    MultimodalFindings.Format(m.Recognisability) }.Select(Markup.Escape).ToArray());
            AnsiConsole.Write(table);
            foreach (var finding in result.Findings) Console.WriteLine($"- {finding}");
            Console.WriteLine($"Report: {report}; results: {Path.Combine(folder, JsonReportWriter.FileName)}; runs: {Path.Combine(folder, SqliteRunStore.FileName)} ({result.WallSeconds:0} s)");
            return CommandRunner.Ok;
        }));
        return command;
    }

    private static Command Diffusion()
    {
        var common = new CommonOptions("runs/demo-diffusion");
        var command = new Command("diffusion", "Closed-form debiasing of a text-to-image diffusion model on a CPU (MIST): train a small latent diffusion model on a skewed "
            + "portrait world, audit it, edit every cross-attention key/value projection towards a uniform gender × race × age (and, for comparison, each "
            + "attribute on its own), re-audit, and write one report");
        common.AddTo(command);
        command.SetAction(CommandRunner.Guard(async (parse, ct) =>
        {
            var folder = parse.GetValue(common.Out)!;
            var settings = DiffusionSettings.Demo(parse.GetValue(common.Seed));
            var result = await ConsoleProgress.TrackAsync(progress =>
                new DiffusionLab(settings, new ModelCache(parse.GetValue(common.Cache)!), folder, new LabProgress(progress)).RunAsync(ct));
            var report = await DiffusionReport.WriteAsync(result, folder);
            var table = new Table().AddColumns("model", "gender bias [[95% CI]]", "race bias", "age bias", "gender × race × age", "deviation ratio (g × r × a)", "recognisable", "preserved drift");
            foreach (var m in result.Models)
                table.AddRow(new[] { m.Name, MultimodalFindings.Format(m.Bias["gender"]), MultimodalFindings.Format(m.Bias["race"]), MultimodalFindings.Format(m.Bias["age"]),
                    MultimodalFindings.Format(m.Bias["gender_x_race_x_age"]), MultimodalFindings.Format(m.Deviation["gender_x_race_x_age"]),
                    MultimodalFindings.Format(m.Recognisability), MultimodalFindings.Format(m.PreservedDrift) }.Select(Markup.Escape).ToArray());
            AnsiConsole.Write(table);
            foreach (var finding in result.Findings) Console.WriteLine($"- {finding}");
            Console.WriteLine($"Report: {report}; results: {Path.Combine(folder, JsonReportWriter.FileName)}; runs: {Path.Combine(folder, SqliteRunStore.FileName)} ({result.WallSeconds:0} s)");
            return CommandRunner.Ok;
        }));
        return command;
    }

    public static Command Inherit()
    {
        var common = new CommonOptions("runs/inherit");
        var ratios = new Option<string>("--ratios") { Description = "Bias ratios, comma-separated", DefaultValueFactory = _ => string.Join(",", LabSettings.StandardRatios.Select(r => r.ToString(CultureInfo.InvariantCulture))) };
        var seeds = new Option<int>("--seeds") { Description = "Students per ratio", DefaultValueFactory = _ => LabSettings.Full().Seeds };
        var command = new Command("inherit", "Bias inheritance: train students on mixes of original and teacher-generated data at each bias ratio and measure "
            + "generation bias, classification gaps and fidelity against the ratio; 'inherit analyze' compares a data set with its augmented version instead")
        {
            ratios, seeds, InheritAnalyzeCommand.Create(),
        };
        common.AddTo(command);
        command.SetAction(CommandRunner.Guard((parse, ct) =>
        {
            var settings = LabSettings.Full(parse.GetValue(common.Seed)) with { Ratios = ParseRatios(parse.GetValue(ratios)!), Seeds = parse.GetValue(seeds) };
            return RunAsync(common, parse, "inherit", settings, sweep: true, [], ct);
        }));
        return command;
    }

    public static Command Mitigate()
    {
        var common = new CommonOptions("runs/mitigate");
        var methods = new Option<string[]>("--method")
        {
            Description = $"Mitigation(s): {string.Join(", ", LabMethod.Mitigations.Select(m => m.Name))}, or all; repeatable or comma-separated",
            Required = true,
        };
        var ratio = new Option<double>("--ratio") { Description = "Bias ratio of the students' mix", DefaultValueFactory = _ => LabSettings.Full().MitigationRatio };
        var seeds = new Option<int>("--seeds") { Description = "Students per method", DefaultValueFactory = _ => LabSettings.Full().Seeds };
        var command = new Command("mitigate", "Train mitigated students at one bias ratio, re-audit them and compare with the unmitigated student (bias with intervals, fidelity cost)")
        {
            methods, ratio, seeds,
        };
        common.AddTo(command);
        command.SetAction(CommandRunner.Guard((parse, ct) =>
        {
            var names = parse.GetValue(methods)!.SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var chosen = names.Any(n => n.Equals("all", StringComparison.OrdinalIgnoreCase)) ? LabMethod.Mitigations : names.Select(LabMethod.Parse).Distinct().ToList();
            var settings = LabSettings.Full(parse.GetValue(common.Seed)) with { MitigationRatio = parse.GetValue(ratio), Seeds = parse.GetValue(seeds) };
            return RunAsync(common, parse, "mitigate", settings, sweep: false, chosen, ct);
        }));
        return command;
    }

    private sealed class CommonOptions(string defaultOut)
    {
        public Option<string> Out { get; } = new("--out") { Description = "Folder for report.html, results.json and the run store", DefaultValueFactory = _ => defaultOut };
        public Option<int> Seed { get; } = new("--seed") { Description = "Seed of worlds, models and sampling: same seed, same results", DefaultValueFactory = _ => 0 };
        public Option<string> Cache { get; } = new("--cache") { Description = "Folder of cached models and data ($FAIRSCOPE_CACHE, else ~/.cache/fairscope)", DefaultValueFactory = _ => ModelCache.DefaultRoot };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Out, Seed, Cache }) command.Options.Add(option);
        }
    }

    private static async Task<int> RunAsync(CommonOptions common, ParseResult parse, string job, LabSettings settings, bool sweep,
        IReadOnlyList<LabMethod> mitigations, CancellationToken ct)
    {
        settings.Validate();
        var folder = parse.GetValue(common.Out)!;
        var cache = new ModelCache(parse.GetValue(common.Cache)!);
        var result = await ConsoleProgress.TrackAsync(progress =>
            new BiasInheritanceLab(settings, cache, folder, new LabProgress(progress)).RunAsync(job, sweep, mitigations, ct));
        var report = await LabReport.WriteAsync(result, folder);
        PrintSummary(result);
        Console.WriteLine($"Report: {report}; results: {Path.Combine(folder, JsonReportWriter.FileName)}; runs: {Path.Combine(folder, SqliteRunStore.FileName)} ({result.Seconds:0} s)");
        return CommandRunner.Ok;
    }

    private static void PrintSummary(LabResult result)
    {
        var table = new Table().AddColumns("condition", "gender bias [[95% CI]]", "race bias", "probe bias", "TPR gap (gender)", "perplexity");
        foreach (var c in new[] { result.Teacher }.Concat(result.Sweep).Concat(result.Mitigations.Select(m => m.Mitigated)))
        {
            var g = c.GenerationBias["gender"];
            table.AddRow(new[] { c.Name, $"{F(g.Mean)} [{F(g.CiLow)}, {F(g.CiHigh)}]", F(c.GenerationBias["race"].Mean), F(c.Probes.BiasScore),
                F(c.Classification["gender"].MeanTprGap.Value), F(c.Fidelity.Perplexity) }.Select(Markup.Escape).ToArray());
        }
        AnsiConsole.Write(table);
        if (result.Trend is { } t) Console.WriteLine($"Bias against ratio: Spearman ρ {F(t.GenderBiasSpearman)} (generation), {F(t.ProbeBiasSpearman)} (probes); grows: {(t.Grows ? "yes" : "no")}");
        foreach (var m in result.Mitigations) Console.WriteLine($"{m.Method.Name}: {LabReport.Summary(m)}");
    }

    /// <summary>Comma-separated bias ratios; a non-number is a one-line error naming it.</summary>
    internal static IReadOnlyList<double> ParseRatios(string text)
    {
        // + 0.0 turns -0 into 0, so "-0" names the same mix as "0".
        var ratios = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) ? r + 0.0
                : throw new FairscopeException($"--ratios: '{t}' is not a number; give ratios between 0 and 1, e.g. 0,0.25,0.5"))
            .ToList();
        return ratios.Count > 0 ? ratios : throw new FairscopeException("--ratios is empty; give ratios between 0 and 1, e.g. 0,0.25,0.5");
    }

    private static string F(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("0.000", CultureInfo.InvariantCulture) : "–";
}
