using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Fairscope.Cli;

/// <summary><c>fairscope preferences RUN_FOLDER</c>: preference pairs from an audited text run (see <see cref="PreferencePairs"/>),
/// written for a trainer, with the group balance of the exported set printed and saved beside it as FILE.summary.json.</summary>
internal static class PreferencesCommand
{
    private const int JudgeConcurrency = 8;

    public static Command Create()
    {
        var folder = new Argument<string>("run-folder") { Description = "A run folder written by 'fairscope audit --out'" };
        var format = new Option<string>("--format") { Description = "trl (prompt/chosen/rejected JSONL), openai (preference fine-tuning JSONL) or csv", DefaultValueFactory = _ => "trl" };
        format.AcceptOnlyFromAmong([.. PreferenceExport.Formats]);
        var output = new Option<string?>("--out") { Description = "File to write (default: RUN_FOLDER/preferences.jsonl, or .csv)" };
        var attributes = new Option<string[]>("--attribute") { Description = "Attribute(s) to balance, intersections included (default: every plain attribute); repeatable" };
        var maxRatio = new Option<double>("--max-length-ratio") { Description = "Largest word-count ratio between the two answers of a pair (2: within 0.5–2×)", DefaultValueFactory = _ => new PreferenceOptions().MaxLengthRatio };
        var seed = new Option<int>("--seed") { Description = "Seed of the pairing order: same seed, same pairs", DefaultValueFactory = _ => 0 };
        var judgeModel = new Option<string?>("--judge-model") { Description = "Keep only pairs this judge model (OpenAI-compatible chat) finds both on task and of comparable quality" };
        var judgeBaseUrl = new Option<string?>("--judge-base-url") { Description = "Endpoint of the judge model (default: the audited endpoint for --provider openai, else the OpenAI API)" };
        var judgeKey = new Option<string>("--judge-api-key-env") { Description = "Environment variable holding the judge's API key", DefaultValueFactory = _ => OpenAIEndpoint.DefaultApiKeyVariable };
        var command = new Command("preferences", "Synthesise preference pairs from an audit run: chosen answers of under-represented groups, rejected ones of "
            + "over-represented groups, same prompt, comparable length, no refusals; export for DPO and report the set's group balance")
        {
            folder, format, output, attributes, maxRatio, seed, judgeModel, judgeBaseUrl, judgeKey,
        };
        command.SetAction(CommandRunner.Guard(async (parse, ct) =>
        {
            var options = new PreferenceOptions(parse.GetValue(maxRatio), parse.GetValue(seed));
            options.Validate();
            var dir = parse.GetValue(folder)!;
            var path = Path.Combine(dir, SqliteRunStore.FileName);
            if (!File.Exists(path)) throw new FairscopeException($"{dir} is not a run folder (no {SqliteRunStore.FileName}); pass the --out folder of an audit");
            await using var store = SqliteRunStore.Open(path, readOnly: true);
            var run = await RunsCommand.AuditedRunAsync(store, ct) ?? throw new FairscopeException($"{path} holds no run");
            var suite = SuiteLoader.Parse(run.Spec.SuiteText, $"{path} (suite '{run.Spec.SuiteName}' as run)");
            if (suite.Modality != Suite.Text) throw new FairscopeException($"{path}: preferences are built from text runs only; suite '{suite.Name}' is an {suite.Modality} suite");
            // Its answers replied to prompts changed by the intervention, but pairs are exported with the suite's prompts.
            if (System.Text.Json.Nodes.JsonNode.Parse(run.Spec.Parameters)?["intervention"] is not null)
                throw new FairscopeException($"{path}: run '{run.Spec.Name}' was audited with an --intervention, so its answers do not reply to the suite's prompts; build preferences from a run without one");
            var chosen = Attributes(suite, parse.GetValue(attributes) ?? [], path);
            var samples = await store.ReadSamplesAsync(run.Id, ct).ToListAsync(ct);
            var annotations = await store.ReadAnnotationsAsync(run.Id, ct).ToListAsync(ct);
            var prompts = await PreferenceSource.ReadAsync(suite, run, samples, annotations, Annotators(dir), ct);

            var pairs = PreferencePairs.Synthesize(prompts, chosen, options);
            var synthesised = pairs.Count;
            if (parse.GetValue(judgeModel) is { } model)
            {
                using var client = OpenAIEndpoint.CreateChatClient(parse.GetValue(judgeBaseUrl) ?? AnalysisOptions.JudgeDefaultEndpoint(run.Spec.Provider, run.Spec.Endpoint)
                    ?? OpenAIEndpoint.DefaultBaseUrl, model, parse.GetValue(judgeKey)!, RetryOptions.Default);
                pairs = await new PreferenceJudge(client, model).FilterAsync(pairs, JudgeConcurrency, ct);
            }
            var kind = parse.GetValue(format)!;
            var file = parse.GetValue(output) ?? Path.Combine(dir, kind == "csv" ? "preferences.csv" : "preferences.jsonl");
            // The audit's system message, if any (GenerationOptions in the run's parameters), goes with every prompt.
            var systemPrompt = System.Text.Json.Nodes.JsonNode.Parse(run.Spec.Parameters)?["SystemPrompt"]?.GetValue<string>();
            await PreferenceExport.WriteAsync(pairs, kind, file, systemPrompt);
            var balance = chosen.Select(a => PreferencePairs.Balance(pairs, prompts, a)).ToList();
            var summary = file + ".summary.json"; // beside the pairs, never in their place
            var candidates = prompts.SelectMany(p => p.Candidates).ToList();
            await ReportFile.WriteAsync(summary, writer => writer.WriteAsync(JsonSerializer.Serialize(new
            {
                Run = run.Spec.Name, Format = kind, File = file, Options = options, Prompts = prompts.Count,
                Samples = candidates.Count, Refused = candidates.Count(c => c.Refused), Judge = parse.GetValue(judgeModel), JudgeRejected = synthesised - pairs.Count,
                Pairs = pairs.Count, Attributes = balance,
            }, JsonReportWriter.Options)));
            Print(balance);
            Console.WriteLine($"{pairs.Count} pairs from {candidates.Count} samples ({candidates.Count(c => c.Refused)} refusals left out"
                + (parse.GetValue(judgeModel) is null ? "" : $", {synthesised - pairs.Count} pairs rejected by the judge") + $"): {file}; balance: {summary}");
            return CommandRunner.Ok;
        }));
        return command;
    }

    private static List<DemographicAttribute> Attributes(Suite suite, string[] names, string path) => names.Length == 0
        ? suite.Attributes.Where(a => !a.IsIntersection).ToList()
        : names.Select(n => suite.Attribute(n) ?? throw new FairscopeException(
            $"--attribute: {path} measures no attribute '{n}'; use one of {string.Join(", ", suite.Attributes.Select(a => a.Name))}")).ToList();

    // The annotators whose labels the audit's results.json used, in priority order.
    private static IReadOnlyList<AnnotatorSummary> Annotators(string dir) => JsonReportWriter.Read(dir).Annotators;

    private static void Print(IReadOnlyList<PreferenceBalance> balance)
    {
        var table = new Table().AddColumns("attribute", "pairs", "chosen groups", "rejected groups", "bias score: chosen", "run", "TV to target: chosen", "run");
        foreach (var b in balance)
            table.AddRow(new[] { b.Attribute, b.Pairs.ToString(CultureInfo.InvariantCulture), Counts(b.Chosen), Counts(b.Rejected), F(b.ChosenBiasScore),
                F(b.RunBiasScore), F(b.ChosenTvTarget), F(b.RunTvTarget) }.Select(Markup.Escape).ToArray());
        AnsiConsole.Write(table);
    }

    private static string Counts(IReadOnlyDictionary<string, int> counts) => string.Join(" ", counts.Where(c => c.Value > 0).Select(c => $"{c.Key} {c.Value}"));

    private static string F(double? v) => v is { } x ? x.ToString("0.000", CultureInfo.InvariantCulture) : "–";
}
