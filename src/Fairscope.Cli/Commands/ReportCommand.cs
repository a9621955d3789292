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
        command.SetAction(CommandRunner.Guard(async (parse, ct) =>
        {
            var dir = parse.GetValue(folder)!;
            var path = Path.Combine(dir, SqliteRunStore.FileName);
            if (!File.Exists(path)) throw new FairscopeException($"{dir} is not a run folder (no {SqliteRunStore.FileName}); pass the --out folder of an audit");
            await using var store = SqliteRunStore.Open(path);
            var runs = await store.ListRunsAsync(ct);
            if (runs.Count == 0) throw new FairscopeException($"{path} holds no run");
            var run = runs[0];
            var suite = SuiteLoader.Parse(run.Spec.SuiteText, $"{path} (suite '{run.Spec.SuiteName}' as run)");
            var annotators = analysis.Annotators(parse, suite, run.Spec.Endpoint, RetryOptions.Default);
            var reporter = new AuditReporter(store, annotators, analysis.BootstrapFor(parse, run.Spec.Seed), AnalysisOptions.AnnotationConcurrency(parse, analysis, 8));
            var report = await ConsoleProgress.TrackAsync(progress => reporter.ReportAsync(run, suite, analysis.Gates(parse, suite), dir, progress, ct));
            return Summary.Print(report, dir);
        }));
        return command;
    }
}
