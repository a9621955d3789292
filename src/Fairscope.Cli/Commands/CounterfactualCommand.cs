using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Spectre.Console;

namespace Fairscope.Cli;

/// <summary><c>fairscope counterfactual</c>: counterfactual variants of a JSONL, CSV or Parquet data set (docs/counterfactual.md).</summary>
internal static class CounterfactualCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "A data set: .jsonl/.ndjson, .csv or .parquet" };
        var output = new Option<string>("--out") { Description = "Output file, in the input's format (JSONL and CSV resume from OUT.partial)", Required = true };
        var fields = new Option<string[]>("--field") { Description = "A text field to rewrite; repeatable", Required = true, AllowMultipleArgumentsPerToken = false };
        var id = new Option<string?>("--id-field") { Description = "Field holding each row's id for cf_source_id (default: the row number)" };
        var lexicons = new Option<string[]>("--lexicon") { Description = "A concept lexicon YAML replacing (or with 'extend: true' extending) the shipped one of its concept; repeatable" };
        var concepts = new Option<string[]>("--concept") { Description = "Only these concepts (default: all); repeatable" };
        var order = new Option<int>("--order") { Description = "Concepts combined per variant: 2 adds gender × race and the other pairs", DefaultValueFactory = _ => 1 };
        var max = new Option<int>("--max-variants") { Description = "At most this many variants per row, drawn at random when there are more", DefaultValueFactory = _ => 16 };
        var seed = new Option<int>("--seed") { Description = "Seed of names, ages and sampled variants", DefaultValueFactory = _ => 0 };
        var strict = new Option<bool>("--strict") { Description = "Stop at the first malformed row instead of skipping and counting it" };
        var variantsOnly = new Option<bool>("--variants-only") { Description = "Write only the variants, not the source rows" };
        var reference = new Option<string?>("--anti-stereotype") { Description = "Reference table CSV context,group,share, or an audit run folder: adds cf_weight, the anti-stereotype weight (1/K)/p(group | context)" };
        var context = new Option<string?>("--context-field") { Description = "Field naming each row's context (e.g. occupation), for --anti-stereotype" };
        var reportPath = new Option<string?>("--report") { Description = "Report JSON (default: OUT.report.json)" };
        var command = new Command("counterfactual", "Write counterfactual variants of a data set over gender, race, age, religion, nationality, disability and sexual orientation")
        {
            input, output, fields, id, lexicons, concepts, order, max, seed, strict, variantsOnly, reference, context, reportPath,
        };
        command.SetAction(CommandRunner.Guard(async (parse, ct) =>
        {
            var lexiconFiles = parse.GetValue(lexicons) ?? [];
            var loaded = CounterfactualLexicon.Load(lexiconFiles);
            var only = parse.GetValue(concepts) ?? [];
            if (only.FirstOrDefault(c => loaded.All(l => l.Concept != c)) is { } unknown)
                throw new FairscopeException($"unknown concept '{unknown}'; the lexicons have {string.Join(", ", loaded.Select(l => l.Concept))}");
            var chosen = only.Length == 0 ? loaded : [.. loaded.Where(l => only.Contains(l.Concept))];
            var augmenter = new CounterfactualAugmenter(chosen, parse.GetValue(order), parse.GetValue(max));
            var outPath = parse.GetValue(output)!;
            var job = new CounterfactualJob(parse.GetValue(input)!, outPath, parse.GetValue(fields) ?? [], augmenter)
            {
                IdField = parse.GetValue(id),
                Seed = parse.GetValue(seed),
                Strict = parse.GetValue(strict),
                VariantsOnly = parse.GetValue(variantsOnly),
                AntiStereotype = parse.GetValue(reference) is { } r ? StereotypeReference.Load(r) : null,
                ContextField = parse.GetValue(context),
                Options = OptionsIdentity(lexiconFiles, only, parse.GetValue(order), parse.GetValue(max), parse.GetValue(reference)),
            };
            var report = await ConsoleProgress.TrackAsync(progress => Task.Run(() => CounterfactualDataset.Run(job, progress, ct), ct));
            var path = parse.GetValue(reportPath) ?? outPath + ".report.json";
            CounterfactualDataset.WriteReport(report, path);
            Summarise(report);
            Console.WriteLine($"Wrote {outPath} and {path}");
            return CommandRunner.Ok;
        }));
        return command;
    }

    // The content of the lexicon and reference files and the options that shape the output: a resumed run must match.
    private static string OptionsIdentity(string[] lexiconFiles, string[] concepts, int order, int max, string? reference)
    {
        var text = new StringBuilder().AppendJoin(',', concepts).Append('|').Append(order).Append('|').Append(max);
        // A reference may be an audit run folder: its results.json is what is read.
        var referenceFile = reference is not null && Directory.Exists(reference) ? Path.Combine(reference, JsonReportWriter.FileName) : reference;
        foreach (var file in lexiconFiles.Append(referenceFile).OfType<string>())
            text.Append('|').Append(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));
        return text.ToString();
    }

    private static void Summarise(CounterfactualReport report)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{report.Rows} rows read, {report.RowsWithTerms} with demographic terms, {report.Variants} variants written, {report.Malformed} malformed rows skipped"));
        foreach (var where in report.MalformedRows.Take(5)) Console.WriteLine($"  skipped {where}");
        if (report.Swaps.Count == 0) return;
        var table = new Table().AddColumns("concept", "variants", "swaps", "most frequent");
        foreach (var (concept, terms) in report.Swaps)
            table.AddRow(concept, report.VariantsPerConcept.GetValueOrDefault(concept).ToString(CultureInfo.InvariantCulture),
                terms.Values.Sum().ToString(CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(", ", terms.OrderByDescending(t => t.Value).Take(4).Select(t => $"{t.Key} ×{t.Value}"))));
        AnsiConsole.Write(table);
    }
}
