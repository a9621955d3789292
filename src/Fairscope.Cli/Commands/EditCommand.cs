using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Fairscope.Cli;

/// <summary>
/// <c>fairscope edit</c>: the closed-form MIST/UCE edit of a diffusion model's cross-attention key/value projections
/// (<see cref="CrossAttentionEditor"/>), streamed over a safetensors checkpoint. The class weights come from a CSV, from a
/// Fairscope image audit of the unedited model (<c>--from-run</c>), or from MIST's iterative search run in-process
/// (<c>--search</c>, for a model directory that carries the portrait world's classifier).
/// </summary>
internal static class EditCommand
{
    private const string DefaultTemplate = "a photo of {a:concept}";

    public static Command Create()
    {
        var unet = new Option<string>("--unet") { Description = "A diffusers pipeline or Fairscope diffusion model directory (unet/, text_encoder/, tokenizer/), a U-Net "
            + "safetensors file, or a single-file Stable Diffusion checkpoint", Required = true };
        var output = new Option<string?>("--out") { Description = "Where to write: a directory for a directory input (every other file copied), else a .safetensors file" };
        var textEncoder = new Option<string?>("--text-encoder") { Description = "The CLIP text encoder (directory or safetensors file; default: the pipeline's text_encoder/, or the single file itself)" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "Directory with vocab.json + merges.txt (default: the pipeline's tokenizer/)" };
        var concepts = new Option<string[]>("--concept") { Description = "Concepts to edit (occupations), repeatable or comma-separated", Required = true, AllowMultipleArgumentsPerToken = true };
        var attributes = new Option<string[]>("--attribute") { Description = "NAME or NAME=cat1,cat2,…; repeatable: the classes are their joint categories (MIST), "
            + "named in the order given (\"young black female\")", Required = true };
        var template = new Option<string>("--template") { Description = "Prompt template with {concept} or {a:concept}", DefaultValueFactory = _ => DefaultTemplate };
        var weights = new Option<string?>("--weights") { Description = "CSV with header concept,class,weight (class = the class words); missing pairs weigh 0" };
        var fromRun = new Option<string?>("--from-run") { Description = "An image audit of the unedited model (folder or results.json): weight = step × (target − share) per concept and class" };
        var search = new Option<bool>("--search") { Description = "MIST's iterative search in-process (a model directory with the portrait world's classifier, e.g. builtin:diffusion)" };
        var step = new Option<double>("--step-size") { Description = "η of --from-run and --search", DefaultValueFactory = _ => 1.0 };
        var iterations = new Option<int>("--iterations") { Description = "--search: most rounds", DefaultValueFactory = _ => MistOptions.Demo.Iterations };
        var images = new Option<int>("--images") { Description = "--search: images per concept and round", DefaultValueFactory = _ => MistOptions.Demo.ImagesPerConcept };
        var preserve = new Option<string[]>("--preserve") { Description = "Prompts to preserve, repeatable (default: the empty prompt, as MIST)" };
        var lambda = new Option<double>("--lambda") { Description = "λ of the closed form", DefaultValueFactory = _ => CrossAttentionEditSpec.DefaultLambda };
        var preserveScale = new Option<double>("--preserve-scale") { Description = "Weight of the preserved prompts", DefaultValueFactory = _ => CrossAttentionEditSpec.DefaultPreserveScale };
        var seed = new Option<int>("--seed") { Description = "--search: seed of the images", DefaultValueFactory = _ => 0 };
        var dryRun = new Option<bool>("--dry-run") { Description = "Report which tensors would change and by how much; write nothing" };
        var command = new Command("edit", "Closed-form debiasing of a text-to-image diffusion model (MIST, UCE): rewrite every cross-attention key/value projection so "
            + "each concept's prompt moves towards its attribute classes by the given weights, keeping the preserved prompts; every other tensor is copied byte for byte")
        {
            unet, output, textEncoder, tokenizer, concepts, attributes, template, weights, fromRun, search, step, iterations, images, preserve, lambda, preserveScale, seed, dryRun,
        };
        command.SetAction(CommandRunner.Guard(async (parse, ct) =>
        {
            var input = ModelArgument.Resolve(parse.GetValue(unet)!, ct);
            var paths = Paths.Of(input, parse.GetValue(textEncoder), parse.GetValue(tokenizer));
            var outputPath = parse.GetValue(output);
            bool dry = parse.GetValue(dryRun);
            if (outputPath is null && !dry) throw new FairscopeException("edit needs --out (a directory for a directory input, else a .safetensors file), or --dry-run");
            var sources = new[] { parse.GetValue(weights) is not null, parse.GetValue(fromRun) is not null, parse.GetValue(search) }.Count(x => x);
            if (sources != 1) throw new FairscopeException("give exactly one source of class weights: --weights CSV, --from-run AUDIT or --search");
            var options = new MistOptions(parse.GetValue(lambda), parse.GetValue(preserveScale), parse.GetValue(iterations), parse.GetValue(images), StepSize: parse.GetValue(step)).Validate();
            var conceptList = Split(parse.GetValue(concepts)!);
            var layers = CrossAttentionLayers.Read(paths.UNet);

            var tokenizerPath = paths.Tokenizer ?? throw new FairscopeException($"{input}: a single-file checkpoint carries no tokenizer files: give --tokenizer DIR (vocab.json + merges.txt)");
            using var encoder = ClipTextModel.Load(paths.TextEncoder);
            if (encoder.Config.Width != layers.TextWidth)
                throw new FairscopeException($"{paths.TextEncoder}: text encoder width {encoder.Config.Width}, but the U-Net's cross-attention ({layers.Architecture}) expects {layers.TextWidth}: use the checkpoint's own text encoder");
            var clip = ClipTokenizer.Load(tokenizerPath, Math.Min(ClipTokenizer.DefaultMaxLength, encoder.Config.MaxPositions));
            var axes = ParseAttributes(parse.GetValue(attributes)!);
            var preserved = parse.GetValue(preserve) is { Length: > 0 } p ? p : [""];

            EditPrompts prompts;
            double[,] classWeights;
            if (parse.GetValue(fromRun) is { } run)
                (prompts, classWeights) = FromRun(run, conceptList, axes, parse.GetValue(template)!, preserved, options.StepSize);
            else
            {
                var classes = JointClasses(axes);
                prompts = EditPrompts.FromTemplate(parse.GetValue(template)!, conceptList, [.. classes.Select(c => c.Words)], preserved);
                classWeights = parse.GetValue(weights) is { } csv ? ReadWeights(csv, prompts) : Search(input, prompts, classes, options, parse.GetValue(seed), ct);
            }

            var target = dry ? null : paths.Output(outputPath!);
            CrossAttentionEditResult result;
            try
            {
                // Tensors and their dispose scope stay on the one thread that runs this: a scope held across an await
                // would be disposed from another thread and take other work's tensors with it.
                result = await Task.Run(() =>
                {
                    using var scope = TorchSharp.torch.NewDisposeScope();
                    var spec = prompts.Embed(encoder, clip, classWeights, options.Lambda, options.PreserveScale);
                    return CrossAttentionEditor.Edit(paths.UNet, target ?? paths.UNet + ".dry-run", spec, dry);
                }, ct);
            }
            catch when (paths.IsDirectory && !dry)
            {
                Directory.Delete(outputPath!, recursive: true); // the copies made for an edit that failed
                throw;
            }
            var table = new Table().AddColumns("layer", "‖ΔW_K‖ (relative)", "‖ΔW_V‖ (relative)");
            foreach (var layer in result.Layers)
                table.AddRow(Markup.Escape(layer.Prefix), $"{F(layer.Key.Change)} ({F(layer.Key.RelativeChange)})", $"{F(layer.Value.Change)} ({F(layer.Value.RelativeChange)})");
            AnsiConsole.Write(table);
            Console.WriteLine($"{result.Architecture}: {result.Layers.Count} cross-attention layers, text width {result.TextWidth}; {prompts.Concepts.Count} concepts × {prompts.Classes.Count} classes; "
                + (dry ? "dry run, nothing written" : $"written to {(paths.IsDirectory ? outputPath : target)}"));
            return CommandRunner.Ok;
        }));
        return command;
    }

    /// <summary>Where the U-Net, text encoder and tokenizer of the input are, and how the output is laid out.</summary>
    private sealed record Paths(string Input, string UNet, string TextEncoder, string? Tokenizer, bool IsDirectory)
    {
        public static Paths Of(string input, string? textEncoder, string? tokenizer)
        {
            if (Directory.Exists(input))
            {
                var unet = Path.Combine(input, DiffusionModel.UNetFolder, DiffusionModel.UNetWeightsFile);
                if (!File.Exists(unet)) throw new FairscopeException($"{input}: no {DiffusionModel.UNetFolder}/{DiffusionModel.UNetWeightsFile}; give a diffusers pipeline directory or a safetensors file");
                return new(input, unet, textEncoder ?? Path.Combine(input, DiffusionModel.TextEncoderFolder), tokenizer ?? Path.Combine(input, DiffusionModel.TokenizerFolder), true);
            }
            if (!File.Exists(input)) throw new FairscopeException($"{input}: no such file or directory");
            return new(input, input, textEncoder ?? input, tokenizer, false);
        }

        // A directory input is copied whole (the U-Net then rewritten); a file input writes one file.
        public string Output(string output)
        {
            if (!IsDirectory) return output;
            if (Path.GetFullPath(output) == Path.GetFullPath(Input)) throw new FairscopeException($"--out {output} is the input; choose a new directory");
            if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any()) throw new FairscopeException($"--out {output} exists and is not empty");
            foreach (var file in Directory.EnumerateFiles(Input, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(output, Path.GetRelativePath(Input, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (Path.GetFullPath(file) != Path.GetFullPath(UNet)) File.Copy(file, target);
            }
            return Path.Combine(output, Path.GetRelativePath(Input, UNet));
        }
    }

    private sealed record Axis(string Name, IReadOnlyList<string>? Categories);

    /// <summary>A joint class: one category per attribute, and the words naming it.</summary>
    private sealed record JointClass(IReadOnlyList<string> Categories, string Words);

    private static List<Axis> ParseAttributes(IEnumerable<string> values) =>
        [.. values.Select(v =>
        {
            var parts = v.Split('=', 2);
            var name = parts[0].Trim();
            if (name.Length == 0) throw new FairscopeException($"--attribute '{v}': give NAME or NAME=cat1,cat2,…");
            var categories = parts.Length == 2 ? Split([parts[1]]) : null;
            if (categories is { Count: < 2 }) throw new FairscopeException($"--attribute '{v}' needs at least two categories");
            return new Axis(name, categories);
        })];

    private static List<JointClass> JointClasses(IReadOnlyList<Axis> axes)
    {
        IEnumerable<IReadOnlyList<string>> joint = [[]];
        foreach (var axis in axes)
        {
            var categories = axis.Categories
                ?? throw new FairscopeException($"--attribute {axis.Name}: give its categories (--attribute {axis.Name}=cat1,cat2,…)");
            joint = joint.SelectMany(j => categories.Select(c => (IReadOnlyList<string>)[.. j, c])).ToList();
        }
        return [.. joint.Select(j => new JointClass(j, string.Join(' ', j.Select(c => c.Replace('_', ' ')))))];
    }

    // weight = η (target − share) of each concept's prompt in the audit, on the joint attribute of the --attribute names (its
    // categories and target are the audited suite's).
    private static (EditPrompts, double[,]) FromRun(string run, IReadOnlyList<string> concepts, IReadOnlyList<Axis> axes, string template, IReadOnlyList<string> preserved, double step)
    {
        var result = JsonReportWriter.Read(run);
        var name = string.Join("_x_", axes.Select(a => a.Name));
        if (axes.Any(a => a.Categories is not null)) throw new FairscopeException("--from-run takes the categories from the audit: give --attribute NAME without =categories");
        var attribute = result.Attributes.FirstOrDefault(a => a.Name == name)
            ?? throw new FairscopeException($"{run}: the audit has no attribute '{name}' (it has {string.Join(", ", result.Attributes.Select(a => a.Name))}); "
                + "give --attribute in the order of a suite attribute or intersection");
        var classes = attribute.Categories.Where(c => c != DemographicAttribute.Unknown).ToList();
        var prompts = EditPrompts.FromTemplate(template, concepts, [.. classes.Select(c => string.Join(' ', c.Split(DemographicAttribute.JointSeparator).Select(x => x.Replace('_', ' '))))], preserved);
        var weights = new double[concepts.Count, classes.Count];
        for (int i = 0; i < concepts.Count; i++)
        {
            var prompt = result.Prompts.FirstOrDefault(p => p.Slots.Values.Any(v => Same(v, concepts[i])) || Same(p.Text, concepts[i]))
                ?? throw new FairscopeException($"{run}: no audited prompt for concept '{concepts[i]}' (a slot value or the prompt text must match)");
            var counts = prompt.Attributes.TryGetValue(name, out var a) ? a.Counts : new Dictionary<string, int>();
            double known = classes.Sum(c => counts.GetValueOrDefault(c));
            if (known == 0) throw new FairscopeException($"{run}: prompt '{prompt.Id}' has no labelled image for {name}; audit it with an annotator for every attribute");
            for (int j = 0; j < classes.Count; j++)
                weights[i, j] = step * (attribute.Target.GetValueOrDefault(classes[j], 1.0 / classes.Count) - counts.GetValueOrDefault(classes[j]) / known);
        }
        return (prompts, weights);
    }

    private static bool Same(string a, string b) => string.Equals(SuiteLoader.Slugify(a), SuiteLoader.Slugify(b), StringComparison.Ordinal);

    private static double[,] ReadWeights(string path, EditPrompts prompts)
    {
        if (!File.Exists(path)) throw new FairscopeException($"--weights {path} does not exist");
        var weights = new double[prompts.Concepts.Count, prompts.Classes.Count];
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0].Trim() != "concept,class,weight") throw new FairscopeException($"{path}:1: the header must be concept,class,weight");
        for (int n = 1; n < lines.Length; n++)
        {
            if (lines[n].Trim().Length == 0) continue;
            var cells = lines[n].Split(',');
            int i = cells.Length == 3 ? prompts.Concepts.ToList().IndexOf(cells[0].Trim()) : -1, j = cells.Length == 3 ? prompts.Classes.ToList().IndexOf(cells[1].Trim()) : -1;
            if (i < 0 || j < 0 || !double.TryParse(cells[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var w) || !double.IsFinite(w))
                throw new FairscopeException($"{path}:{n + 1}: expected concept,class,weight with a concept of --concept, a class of --attribute ({string.Join(", ", prompts.Classes.Take(4))}, …) and a number");
            weights[i, j] = w;
        }
        return weights;
    }

    // MIST's loop on a model directory that carries the portrait world's classifier: the classifier's heads label the classes.
    private static double[,] Search(string input, EditPrompts prompts, IReadOnlyList<JointClass> classes, MistOptions options, int seed, CancellationToken ct)
    {
        var classifierPath = Path.Combine(input, DiffusionModel.ClassifierFolder);
        if (!Directory.Exists(input) || !Directory.Exists(classifierPath))
            throw new FairscopeException($"--search runs the model in-process and labels its images with the portrait world's classifier: {input} is not a diffusion model directory with {DiffusionModel.ClassifierFolder}/ (use --weights or --from-run)");
        using var model = DiffusionModel.Load(input);
        using var classifier = AttributeClassifier.Load(classifierPath);
        var heads = classifier.Config.Heads.ToDictionary(h => h.Name);
        var axes = classes[0].Categories.Select((_, k) => classes.Select(c => c.Categories[k]).Distinct().ToList()).ToList();
        var headOf = axes.Select(a => heads.Values.FirstOrDefault(h => a.All(h.Classes.Contains))
            ?? throw new FairscopeException($"--search: the classifier has no head with the categories {string.Join(", ", a)} (heads: {string.Join(", ", heads.Keys)})")).ToList();
        var index = classes.Select((c, j) => (Key: string.Join('|', c.Categories), j)).ToDictionary(x => x.Key, x => x.j);
        int[] Classify(IReadOnlyList<RgbImage> pictures)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            var p = classifier.Predict(ImageTensors.FromImages([.. pictures.Select(x => x.Width == model.ImageSize ? x : ImageDecoder.Resize(x, model.ImageSize, model.ImageSize))]));
            var argmax = headOf.Select(h => p[h.Name].argmax(1).data<long>().ToArray()).ToList();
            return [.. Enumerable.Range(0, pictures.Count).Select(x => index.GetValueOrDefault(string.Join('|', headOf.Select((h, k) => h.Classes[(int)argmax[k][x]])), -1))];
        }
        var result = MistSearch.Run(model, prompts, Classify, options, seed, progress: new Progress<MistRound>(r =>
            Console.Error.WriteLine($"round {r.Round}: max deviation {F(r.MaxDeviation)}, mean {F(r.MeanDeviation)}")), cancellationToken: ct);
        Console.Error.WriteLine($"search {(result.Converged ? "converged" : "stopped")} after {result.Rounds.Count} rounds");
        return result.WeightMatrix();
    }

    private static List<string> Split(IEnumerable<string> values) =>
        [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
