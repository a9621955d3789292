using System.CommandLine;
using Spectre.Console;

namespace Fairscope.Cli;

/// <summary><c>fairscope runs [FOLDER...]</c>: stored runs found under the folders (default runs/).</summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var folders = new Argument<string[]>("folders") { Description = "Folders to search for run stores (default: runs)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("runs", "List stored runs: model, suite, size, status, date") { folders };
        command.SetAction(CommandRunner.Guard(async (parse, ct) =>
        {
            var roots = parse.GetValue(folders) is { Length: > 0 } given ? given : ["runs"];
            var table = new Table().AddColumns("run", "model", "provider", "suite", "samples", "failed", "status", "updated (UTC)", "folder");
            var found = 0;
            foreach (var root in roots)
            {
                if (!Directory.Exists(root)) throw new FairscopeException($"folder {root} does not exist");
                foreach (var path in Directory.EnumerateFiles(root, SqliteRunStore.FileName, new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 3 }).Order())
                {
                    var where = Markup.Escape(Path.GetDirectoryName(path)!);
                    try
                    {
                        await using var store = SqliteRunStore.Open(path, readOnly: true);
                        foreach (var run in await store.ListRunsAsync(ct))
                        {
                            found++;
                            table.AddRow(Markup.Escape(run.Spec.Name), Markup.Escape(run.Spec.Model), run.Spec.Provider, Markup.Escape(run.Spec.SuiteName),
                                Samples(run, path), run.FailedSamples.ToString(),
                                run.Status, run.UpdatedAt.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), where);
                        }
                    }
                    catch (FairscopeException e) // one unreadable store must not hide the others
                    {
                        found++;
                        table.AddRow("?", "", "", "", "", "", $"[red]{Markup.Escape(e.Message)}[/]", "", where);
                    }
                }
            }
            if (found == 0) Console.WriteLine($"No runs under {string.Join(", ", roots)}.");
            else AnsiConsole.Write(table);
            return CommandRunner.Ok;
        }));
        return command;
    }

    /// <summary>The audited run of a run folder's store (not the understanding run beside it), or null when it holds none.</summary>
    public static async Task<RunInfo?> AuditedRunAsync(IRunStore store, CancellationToken cancellationToken) =>
        (await store.ListRunsAsync(cancellationToken)).FirstOrDefault(r => !r.Spec.Name.EndsWith(UnderstandingAudit.Suffix, StringComparison.Ordinal));

    // Stored of planned samples; an understanding run's plan depends on the attributes its image pool covers, so it shows
    // what is stored.
    private static string Samples(RunInfo run, string path) => run.Spec.Name.EndsWith(UnderstandingAudit.Suffix, StringComparison.Ordinal)
        ? $"{run.OkSamples}"
        : $"{run.OkSamples}/{run.Spec.SamplesPerPrompt * SuiteLoader.Parse(run.Spec.SuiteText, path).Prompts.Count}";
}
