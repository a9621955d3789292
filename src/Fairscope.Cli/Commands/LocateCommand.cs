using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Fairscope.Cli;

/// <summary><c>fairscope locate</c>: where a unified multimodal model's bias lives (arXiv 2502.03429, locate-then-fix).
/// <c>probe</c> tests whether the vision tokenizer's features encode demographics (<see cref="LinearProbe"/>); <c>tokens</c>
/// tests whether the language model's image tokens for a neutral prompt sit nearest its dominant group (<see cref="TokenLocator"/>).</summary>
internal static class LocateCommand
{
    public static Command Create() => new("locate", "Locate bias in a unified multimodal model: a linear probe on its vision tokenizer's features, "
        + "and image-token distributions of neutral vs demographic prompts")
    {
        Probe(),
        Tokens(),
    };

    private static Command Probe()
    {
        var features = new Option<string>("--features") { Description = "Image features, rows × features: .npy, .safetensors or .parquet", Required = true };
        var labels = new Option<string>("--labels") { Description = "CSV with a header, one row per feature row, one column per attribute (empty or 'unknown': unlabelled)", Required = true };
        var tensor = new Option<string?>("--tensor") { Description = "The tensor to read from a .safetensors file with several" };
        var heldOut = new Option<double>("--held-out") { Description = "Share of each class held out for testing", DefaultValueFactory = _ => new ProbeOptions().HeldOut };
        var l2 = new Option<double>("--l2") { Description = "L2 penalty λ on the probe's weights (features are standardised)", DefaultValueFactory = _ => new ProbeOptions().L2 };
        var seed = new Option<int>("--seed") { Description = "Seed of the split and the bootstrap: same seed, same result", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Write the results as JSON to this file" };
        var command = new Command("probe", "Linear probe (logistic regression) from a vision tokenizer's image features to each demographic attribute: "
            + "held-out accuracy against the majority baseline")
        {
            features, labels, tensor, heldOut, l2, seed, output,
        };
        command.SetAction(CommandRunner.Guard(async (parse, ct) =>
        {
            var options = new ProbeOptions(parse.GetValue(heldOut), parse.GetValue(l2), parse.GetValue(seed));
            options.Validate();
            var featurePath = parse.GetValue(features)!;
            var labelPath = parse.GetValue(labels)!;
            var matrix = ReadFeatures(featurePath, parse.GetValue(tensor));
            var (columns, rows) = ProbeLabels.Read(labelPath);
            if (rows != matrix.Length)
                throw new FairscopeException($"{labelPath}: {rows} label rows, but {featurePath} has {matrix.Length} feature rows; give one label row per feature row, in the same order");
            var results = await Task.Run(() => LinearProbe.Evaluate(matrix, columns, options), ct);
            var table = new Table().AddColumns("attribute", "train", "test", "accuracy [[95% CI]]", "majority baseline", "test rows per class");
            foreach (var r in results)
                table.AddRow(new[] { r.Attribute, N(r.Train), N(r.Test), $"{F(r.Accuracy.Value)} [{F(r.Accuracy.CiLow)}, {F(r.Accuracy.CiHigh)}]",
                    $"{F(r.MajorityBaseline)} ({r.MajorityClass})", string.Join(" ", r.TestCounts.Select(c => $"{c.Key} {c.Value}")) }.Select(Markup.Escape).ToArray());
            AnsiConsole.Write(table);
            await WriteAsync(parse.GetValue(output), new { Features = featurePath, Labels = labelPath, Options = options, Attributes = results });
            return CommandRunner.Ok;
        }));
        return command;
    }

    private static Command Tokens()
    {
        var sequences = new Option<string>("--sequences") { Description = "JSONL, one generated image a line: {\"concept\", \"tokens\", \"perceived\"} "
            + "for the neutral prompt, {\"concept\", \"attribute\", \"group\", \"tokens\"} for a group prompt", Required = true };
        var codebook = new Option<int?>("--codebook-size") { Description = "Codebook size V: ids must lie in [0, V) (default: the largest id + 1)" };
        var seed = new Option<int>("--seed") { Description = "Bootstrap seed: same seed, same intervals", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Write the results as JSON to this file" };
        var command = new Command("tokens", "Jensen–Shannon divergence between the image-token histograms of each concept's neutral prompt and its group "
            + "prompts: how often the nearest group is the one that dominates the neutral prompt's images")
        {
            sequences, codebook, seed, output,
        };
        command.SetAction(CommandRunner.Guard(async (parse, ct) =>
        {
            var path = parse.GetValue(sequences)!;
            var concepts = TokenSequences.Read(path, parse.GetValue(codebook));
            var result = await Task.Run(() => TokenLocator.Locate(concepts, new Bootstrap(Seed: parse.GetValue(seed))), ct);
            var table = new Table().AddColumns("attribute", "concepts", "with a dominant group", "hit rate [[95% CI]]", "mean dominant share");
            foreach (var a in result.Attributes)
                table.AddRow(new[] { a.Attribute, N(a.Concepts), N(a.WithDominant), $"{F(a.HitRate.Value)} [{F(a.HitRate.CiLow)}, {F(a.HitRate.CiHigh)}]",
                    F(a.MeanDominantShare) }.Select(Markup.Escape).ToArray());
            AnsiConsole.Write(table);
            await WriteAsync(parse.GetValue(output), new { Sequences = path, CodebookSize = concepts[0].Neutral.Count, result.Attributes, result.Locations });
            return CommandRunner.Ok;
        }));
        return command;
    }

    // The reader by extension; the safetensors one lives with the header parser in Fairscope.Torch.
    private static double[][] ReadFeatures(string path, string? tensor)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (tensor is not null && extension != ".safetensors") throw new FairscopeException($"--tensor names a tensor of a .safetensors file, but {path} is not one; drop --tensor");
        return extension switch
        {
            ".npy" => NpyReader.Read(path),
            ".safetensors" => SafetensorsFeatures.Read(path, tensor),
            ".parquet" => ParquetFeatures.Read(path),
            _ => throw new FairscopeException($"{path}: unknown feature format '{extension}'; give a .npy, .safetensors or .parquet file"),
        };
    }

    private static async Task WriteAsync(string? path, object results)
    {
        if (path is null) return;
        await ReportFile.WriteAsync(path, writer => writer.WriteAsync(JsonSerializer.Serialize(results, JsonReportWriter.Options)));
        Console.WriteLine($"Wrote {path}");
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string F(double? v) => v is { } x ? x.ToString("0.000", CultureInfo.InvariantCulture) : "–";
}
