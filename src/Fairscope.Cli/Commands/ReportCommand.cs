using System.CommandLine;

namespace Fairscope.Cli;

/// <summary><c>fairscope report RUN_FOLDER</c>: re-annotate what is missing and re-render the reports from the store.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("run-folder") { Description = "A run folder written by 'fairscope audit --out'" };
        var analysis = new AnalysisOptions();
        var command = new Command("report", "Re-render results.json, report.html and samples.csv of a stored run (labels missing samples first)") { folder };
        analysis.AddTo(command);
        var interventions = new InterventionOptions();
        command.Options.Add(interventions.Baseline);
        command.SetAction(CommandRunner.Guard(async (parse, ct) =>
        {
            var dir = parse.GetValue(folder)!;
            var path = Path.Combine(dir, SqliteRunStore.FileName);
            if (!File.Exists(path)) throw new FairscopeException($"{dir} is not a run folder (no {SqliteRunStore.FileName}); pass the --out folder of an audit");
            await using var store = SqliteRunStore.Open(path);
            var run = await RunsCommand.AuditedRunAsync(store, ct) ?? throw new FairscopeException($"{path} holds no run");
            var suite = SuiteLoader.Parse(run.Spec.SuiteText, $"{path} (suite '{run.Spec.SuiteName}' as run)");
            var baseline = interventions.LoadBaseline(parse, suite, run.Spec.Seed);
            var images = suite.Modality == Suite.Image ? new ImageStore(dir) : null;
            using var chosen = analysis.Annotators(parse, suite, AnalysisOptions.JudgeDefaultEndpoint(run.Spec.Provider, run.Spec.Endpoint), RetryOptions.Default, images);
            AnalysisOptions.WarnUncovered(suite, chosen.List);
            var bootstrap = analysis.BootstrapFor(parse, run.Spec.Seed);
            var reporter = new AuditReporter(store, chosen.List, bootstrap, AnalysisOptions.AnnotationConcurrency(parse, analysis, 8));
            var report = await ConsoleProgress.TrackAsync(async progress => await reporter.ReportAsync(run, suite, analysis.Gates(parse, suite), dir, progress, ct, images,
                await UnderstandingOptions.StoredAsync(store, suite, run, bootstrap, progress, ct), baseline));
            return Summary.Print(report, dir);
        }));
        return command;
    }
}
