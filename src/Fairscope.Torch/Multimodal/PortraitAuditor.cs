using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>
/// Audits an image model of the portrait world through the normal audit path, for both image laboratories: the
/// built-in <c>portrait-world</c> suite's images generated and stored as a run, labelled by the world's classifier,
/// analysed and reported (optionally with an understanding probe and against a baseline), plus an image grid and the
/// laboratories' fidelity measures. Runs are named by model, so an interrupted laboratory resumes its samples.
/// </summary>
internal sealed class PortraitAuditor(Bootstrap bootstrap, LabProgress? progress, string outputFolder, IRunStore store, ImageStore images,
    PortraitClassifierAnnotator annotator, int samplesPerPrompt, int seed)
{
    /// <summary>Each model's image grid, in its report folder: one row per occupation.</summary>
    public const string ModelSheet = "sheet.png";

    private const int SheetColumns = 12;

    private static readonly AggregateEstimate Undefined = new(null, null, null, null, null, null, 0);

    private readonly Dictionary<int, RgbImage[]> _world = [];

    /// <summary>The image suite every model is audited with: the built-in <c>portrait-world</c>, the world's occupations in the
    /// image suites' wording.</summary>
    public static Suite Suite { get; } = SuiteLoader.Load("portrait-world");

    /// <summary>What one audit measured.</summary>
    /// <param name="Input">The audit report's input: result, samples, annotations.</param>
    /// <param name="Metrics">Each attribute's mean over prompts of <paramref name="Input"/>'s per-prompt metrics (by metric name).</param>
    /// <param name="Recognisability">Share of images whose occupation the classifier recognises as the prompt's.</param>
    /// <param name="WorldDistance">Mean squared pixel distance to the nearest picture the world can show of the occupation.</param>
    /// <param name="Folder">The report's folder, relative to the laboratory's output folder.</param>
    public sealed record Audit(ReportInput Input, IReadOnlyDictionary<string, IReadOnlyDictionary<string, AggregateEstimate>> Metrics, Estimate Recognisability,
        double WorldDistance, string Folder)
    {
        /// <summary>Each attribute's mean bias score (Shen et al. 2023) over prompts.</summary>
        public IReadOnlyDictionary<string, AggregateEstimate> Bias => Metrics.ToDictionary(m => m.Key, m => m.Value[PromptMetrics.BiasScore]);
    }

    /// <summary>Generates (or resumes) run <paramref name="name"/> of <paramref name="generator"/>, labels, analyses and reports it.</summary>
    public async Task<Audit> RunAsync(IImageGenerator generator, string provider, string model, string name, CancellationToken cancellationToken,
        Func<RunSpec, AnnotatedRun, AuditResult, Task<UnderstandingResult>>? understand = null, AuditResult? baseline = null)
    {
        var imageSettings = new ImageSettings(PortraitWorld.Size, PortraitWorld.Size, samplesPerPrompt);
        var spec = new RunSpec(name, Suite.Name, Suite.SourceText, provider, model, null, samplesPerPrompt, seed, imageSettings.ToJson());
        var run = await store.OpenRunAsync(spec, cancellationToken);
        using (var samples = new ImageSampleGenerator(generator, images, imageSettings))
            await new RunEngine(store, samples, concurrency: 1, progress?.Sampling(), [annotator]).GenerateAsync(run, Suite, cancellationToken);
        await store.SetStatusAsync(run.Id, RunInfo.Completed, cancellationToken);
        run = (await store.FindRunAsync(name, cancellationToken))!;

        var folder = Path.Combine("models", name);
        var input = await new AuditReporter(store, [annotator], bootstrap, annotationConcurrency: 1).ReportAsync(run, Suite, [], Path.Combine(outputFolder, folder),
            null, cancellationToken, images, understand is null ? null : (annotated, result) => understand(spec, annotated, result), baseline);

        var generated = input.Samples.Where(x => ImageStore.IsReference(x.Output)).ToList();
        var pictures = generated.Select(x => images.Load(x.Output!)).ToList();
        var rows = Suite.Prompts.SelectMany(p => generated.Select((x, i) => (x, i)).Where(g => g.x.PromptId == p.Id).OrderBy(g => g.x.SampleIndex)
            .Take(SheetColumns).Select(g => pictures[g.i])).ToList();
        if (rows.Count > 0)
            await File.WriteAllBytesAsync(Path.Combine(outputFolder, folder, ModelSheet), ImageDecoder.EncodePng(ContactSheet.Tile(rows, SheetColumns, scale: 3)), cancellationToken);
        // No labelled image for an attribute (a model that draws nothing recognisable) leaves its metrics undefined.
        var metrics = input.Result.Attributes.ToDictionary(a => a.Name, a => (IReadOnlyDictionary<string, AggregateEstimate>)PromptMetrics.Names
            .ToDictionary(m => m, m => a.Metrics.GetValueOrDefault(m, Undefined)));
        var (recognisable, distance) = Fidelity(input, generated, pictures);
        return new Audit(input, metrics, recognisable, distance, folder);
    }

    /// <summary>The world's occupation index of a suite prompt (its slot holds the value id, the slug of the name).</summary>
    public static int OccupationOf(PromptResult prompt) =>
        PortraitWorld.Occupations.Select(o => SuiteLoader.Slugify(o.Name)).ToList().IndexOf(prompt.Slots["occupation"]);

    // Occupation recognisability by the classifier, and the distance to the nearest render of the occupation.
    private (Estimate Recognisable, double Distance) Fidelity(ReportInput input, IReadOnlyList<SampleRecord> generated, IReadOnlyList<RgbImage> pictures)
    {
        var occupationOf = input.Result.Prompts.ToDictionary(p => p.Id, OccupationOf);
        if (pictures.Count == 0) return (bootstrap.Mean([]), double.NaN);
        var occupations = annotator.Classify(pictures)["occupation"];
        var hits = generated.Select((s, i) => Array.IndexOf(occupations[i], occupations[i].Max()) == occupationOf[s.PromptId] ? 1.0 : 0.0).ToArray();
        var distance = generated.Select((s, i) => Nearest(pictures[i], occupationOf[s.PromptId])).Average();
        return (bootstrap.Mean(hits), distance);
    }

    // Every picture the world can show of an occupation: each cell, tone, background, offset and light.
    private double Nearest(RgbImage image, int occupation)
    {
        if (!_world.TryGetValue(occupation, out var renders))
        {
            renders = [.. PortraitWorld.Every(occupation).Select(PortraitWorld.Render)];
            _world[occupation] = renders;
        }
        double best = double.MaxValue;
        foreach (var render in renders)
        {
            long sum = 0;
            for (int i = 0; i < image.Pixels.Length; i++)
            {
                int d = image.Pixels[i] - render.Pixels[i];
                sum += d * d;
            }
            best = Math.Min(best, sum / (double)image.Pixels.Length / (255.0 * 255.0));
        }
        return best;
    }
}
