using System.Diagnostics;
using System.Text.Json;
using static TorchSharp.torch;

namespace Fairscope;

/// <summary>
/// The diffusion laboratory (docs/diffusion.md), after MIST ("Mitigating Intersectional Bias with Disentangled
/// Cross-Attention Editing in Text-to-Image Diffusion Models", arXiv 2403.19738) on the portrait world and a CPU: a small
/// latent diffusion model trained on skewed occupation portraits is audited through the normal audit path, edited in
/// closed form (every cross-attention key/value projection, through end-of-text embeddings) towards a uniform joint
/// distribution of gender × race × age, and re-audited; editing each attribute on its own, one after another (UCE-style),
/// is the comparison. Trained models are cached (<see cref="ModelCache"/>), audits are runs in the output folder's store,
/// and everything is deterministic for the settings' seed.
/// </summary>
public sealed class DiffusionLab(DiffusionSettings settings, ModelCache cache, string outputFolder, LabProgress? progress = null)
{
    /// <summary>The name <c>--model builtin:NAME</c> gives the diffusion model.</summary>
    public const string BuiltinName = "diffusion";

    /// <summary>The edit prompts' template, the audit's own wording ("a photo of the face of a nurse").</summary>
    public const string PromptTemplate = "a photo of the face of {a:concept}";

    /// <summary>Where an edited model keeps the record of its weight search.</summary>
    public const string SearchFile = "edit-search.json";

    private const string Joint = "gender_x_race_x_age";

    private readonly PortraitModels _models = new(cache, settings.Seed, progress);

    private static Suite Suite => PortraitAuditor.Suite;

    private Bootstrap Bootstrap => new(Seed: settings.Seed);

    /// <summary>Runs every stage and returns what it measured.</summary>
    public async Task<DiffusionResult> RunAsync(CancellationToken cancellationToken)
    {
        settings.Validate();
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(outputFolder);
        using var classifier = Classifier(cancellationToken);
        var images = new ImageStore(outputFolder);
        using var annotator = new PortraitClassifierAnnotator(classifier.Model, images, Suite.Attributes, classifier.Key);
        await using var store = SqliteRunStore.Open(Path.Combine(outputFolder, SqliteRunStore.FileName));
        var auditor = new PortraitAuditor(Bootstrap, progress, outputFolder, store, images, annotator, settings.SamplesPerPrompt, settings.Seed);

        var baseDirectory = ModelDirectory(cancellationToken);
        var edits = new[]
        {
            ("mist", "MIST: one closed-form edit towards a uniform gender × race × age, through end-of-text embeddings", Steps(joint: true)),
            ("separate", "UCE-style: gender, then race, then age, each edited on its own after the one before", Steps(joint: false)),
        };
        if (progress is not null)
            foreach (var (name, _, steps) in edits)
                if (!Directory.Exists(cache.ModelDirectory(EditKey(name), $"diffusion-model-{name}"))) progress.Plan(LabProgress.Edit, steps.Length * settings.Edit.Iterations);

        using var baseModel = DiffusionModel.Load(baseDirectory);
        var preserved = PreservedFeatures(baseModel, classifier.Model);
        var (baseReport, baseInput) = await AuditAsync(auditor, baseModel, baseDirectory, "base", "the diffusion model trained on the skewed world",
            preserved, classifier.Model, null, cancellationToken);
        var models = new List<DiffusionModelReport> { baseReport };
        var searches = new Dictionary<string, IReadOnlyList<EditStep>>();
        foreach (var (name, description, steps) in edits)
        {
            var directory = EditedDirectory(name, steps, baseDirectory, cancellationToken);
            searches[name] = JsonSerializer.Deserialize<List<EditStep>>(File.ReadAllText(Path.Combine(directory, SearchFile)), JsonReportWriter.Options)!;
            using var edited = DiffusionModel.Load(directory);
            models.Add((await AuditAsync(auditor, edited, directory, name, description, preserved, classifier.Model, baseInput.Result, cancellationToken)).Report);
        }
        return new DiffusionResult(DiffusionResult.CurrentFormatVersion, settings, classifier.Accuracy, models, searches,
            DiffusionFindings.Describe(models, searches), clock.Elapsed.TotalSeconds);
    }

    /// <summary>The cached directory of the trained diffusion model (<c>builtin:diffusion</c>), training what it needs first.</summary>
    public string ModelDirectory(CancellationToken cancellationToken)
    {
        settings.Validate();
        var key = ModelKey;
        const string name = "diffusion-model";
        return cache.GetOrCreate(key, name, temporary =>
        {
            var data = TrainingData();
            using var vae = _models.Autoencoder(AutoencoderKey, "diffusion-autoencoder", () => [.. data.Select(c => c.Portrait)],
                settings.Autoencoder, settings.AutoencoderSteps, cancellationToken);
            var tokenizerDirectory = Path.Combine(temporary, DiffusionModel.TokenizerFolder);
            ClipVocabulary.Build(Words(), tokenizerDirectory);
            var tokenizer = ClipTokenizer.Load(tokenizerDirectory, settings.TextEncoder.MaxPositions);
            using var text = new ClipTextModel(settings.TextEncoder with { VocabSize = tokenizer.VocabularySize }, settings.Seed);
            using var unet = new UNet(settings.UNet with { InChannels = vae.Config.CodeDim, SampleSize = vae.Config.Grid, CrossAttentionDim = text.Config.Width }, settings.Seed);
            using var scope = NewDisposeScope();
            var pixels = PortraitModels.Pixels([.. data.Select(c => c.Portrait)]);
            double scale;
            using (var raw = vae.Latents(pixels))
                scale = 1 / raw.std().item<float>();
            var model = new DiffusionModel(tokenizer, text, unet, vae, new DiffusionPipelineConfig(scale, settings.SamplingSteps, settings.GuidanceScale));
            DiffusionTrainer.Train(model, model.Latents(pixels), [.. data.Select(c => c.Caption)], settings.Training,
                _models.Steps(key, name, settings.Training.Steps), cancellationToken);
            model.Save(temporary, tokenizerDirectory);
            using var classifier = Classifier(cancellationToken);
            classifier.Model.Save(Path.Combine(temporary, DiffusionModel.ClassifierFolder)); // the annotator travels with the model
        });
    }

    // ---- the edits ----

    /// <summary>One edit step: the attribute it balances, its classes' words and how a classified image maps to a class.</summary>
    private sealed record Step(string Attribute, IReadOnlyList<string> Classes, Func<int, int, int, int> ClassOf);

    private static Step[] Steps(bool joint)
    {
        var words = PortraitWorld.Attributes.ToDictionary(a => a.Name, a => a.Categories.Select(PortraitData.AnswerText).ToList());
        int races = PortraitWorld.Races.Count, ages = PortraitWorld.Ages.Count;
        if (joint) // gender-major, then race, then age; the words in English order ("young white female")
            return [new(Joint, [.. from g in words["gender"] from r in words["race"] from a in words["age"] select $"{a} {r} {g}"], (g, r, a) => (g * races + r) * ages + a)];
        return [new("gender", words["gender"], (g, _, _) => g), new("race", words["race"], (_, r, _) => r), new("age", words["age"], (_, _, a) => a)];
    }

    private string EditKey(string name) => _models.Key($"diffusion-edit-{name}", ModelKey, settings.Edit, PromptTemplate);

    // The edited model: the base model's files with its U-Net rewritten by the streaming checkpoint editor (the code
    // `fairscope edit` runs), one edit per step, with the weights each step's search found on the model edited so far.
    private string EditedDirectory(string name, Step[] steps, string baseDirectory, CancellationToken cancellationToken) =>
        cache.GetOrCreate(EditKey(name), $"diffusion-model-{name}", temporary =>
        {
            CopyDirectory(baseDirectory, temporary);
            var unet = Path.Combine(temporary, DiffusionModel.UNetFolder, DiffusionModel.UNetWeightsFile);
            File.Delete(unet);
            using var model = DiffusionModel.Load(baseDirectory);
            using var classifier = Classifier(cancellationToken);
            var occupations = PortraitWorld.Occupations.Select(o => o.Name).ToList();
            var record = new List<EditStep>();
            var input = Path.Combine(baseDirectory, DiffusionModel.UNetFolder, DiffusionModel.UNetWeightsFile);
            for (int i = 0; i < steps.Length; i++)
            {
                var step = steps[i];
                var prompts = EditPrompts.FromTemplate(PromptTemplate, occupations, step.Classes, [""]);
                int[] Classify(IReadOnlyList<RgbImage> pictures)
                {
                    using var scope = NewDisposeScope();
                    var p = classifier.Model.Predict(ImageTensors.FromImages(pictures));
                    long[] Argmax(string head) => p[head].argmax(1).data<long>().ToArray();
                    var (g, r, a) = (Argmax("gender"), Argmax("race"), Argmax("age"));
                    return [.. Enumerable.Range(0, pictures.Count).Select(x => step.ClassOf((int)g[x], (int)r[x], (int)a[x]))];
                }
                var search = MistSearch.Run(model, prompts, Classify, settings.Edit, settings.Seed * 7_919L + 100_000 * i, progress: progress is null ? null
                    : new Progress<MistRound>(_ => progress.Advance(LabProgress.Edit)), cancellationToken: cancellationToken);
                progress?.Advance(LabProgress.Edit, settings.Edit.Iterations - search.Rounds.Count); // rounds a converged search did not need
                record.Add(new EditStep(step.Attribute, step.Classes, search));
                var weights = search.WeightMatrix();
                MistSearch.Bake(model, prompts, weights, settings.Edit);
                var output = i == steps.Length - 1 ? unet : $"{unet}.step{i}";
                using (var scope = NewDisposeScope())
                    CrossAttentionEditor.Edit(input, output, prompts.Embed(model.TextEncoder, model.Tokenizer, weights, settings.Edit.Lambda, settings.Edit.PreserveScale));
                if (input.StartsWith(temporary, StringComparison.Ordinal)) File.Delete(input);
                input = output;
            }
            File.WriteAllText(Path.Combine(temporary, SearchFile), JsonSerializer.Serialize(record, JsonReportWriter.Options));
        });

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    // ---- audits ----

    private async Task<(DiffusionModelReport Report, ReportInput Input)> AuditAsync(PortraitAuditor auditor, DiffusionModel model, string directory, string name,
        string description, Tensor preserved, AttributeClassifier classifier, AuditResult? baseline, CancellationToken cancellationToken)
    {
        var audit = await auditor.RunAsync(new DiffusionImageGenerator(model), "builtin-diffusion", $"{BuiltinName}:{Path.GetFileName(directory)}", name,
            cancellationToken, baseline: baseline);
        var deviation = audit.Metrics.ToDictionary(m => m.Key, m => m.Value[PromptMetrics.DeviationRatio]);
        return (new DiffusionModelReport(name, description, audit.Bias, deviation, audit.Recognisability, audit.WorldDistance,
            Drift(preserved, PreservedFeatures(model, classifier)), audit.Folder), audit.Input);
    }

    // The classifier's features of the preserved (empty) prompt's images, drawn with fixed seeds.
    private Tensor PreservedFeatures(DiffusionModel model, AttributeClassifier classifier)
    {
        int count = 2 * settings.SamplesPerPrompt;
        var pictures = model.Draw([.. Enumerable.Repeat("", count)], [.. Enumerable.Range(0, count).Select(i => settings.Seed * 7_919L + 900_000 + i)]);
        using var scope = NewDisposeScope();
        return classifier.Features(ImageTensors.FromImages(pictures)).MoveToOuterDisposeScope();
    }

    // Each seed's distance between the two models' features over the mean distance between two different base images,
    // averaged with a bootstrap interval over seeds: 0 when the preserved prompt draws the same pictures.
    private Estimate Drift(Tensor reference, Tensor features)
    {
        using var scope = NewDisposeScope();
        var paired = (features - reference).norm(1).to(ScalarType.Float64).data<double>().ToArray();
        var pairwise = cdist(reference.unsqueeze(0), reference.unsqueeze(0)).squeeze(0);
        long n = reference.shape[0];
        double typical = pairwise.sum().item<float>() / (n * (n - 1));
        return Bootstrap.Mean([.. paired.Select(d => d / typical)]);
    }

    // ---- training ----

    private PortraitModels.TrainedClassifier Classifier(CancellationToken cancellationToken) =>
        _models.Classifier(settings.ClassifierImages, settings.ClassifierSteps, Bootstrap, cancellationToken);

    private string AutoencoderKey => _models.Key("diffusion-autoencoder", settings.World, settings.TrainingImages, settings.GroupCaptionShare,
        settings.Autoencoder, settings.AutoencoderSteps);

    private string ModelKey => _models.Key("diffusion-model", AutoencoderKey, _models.ClassifierKey(settings.ClassifierImages, settings.ClassifierSteps),
        settings.TextEncoder, settings.UNet, settings.Training, settings.SamplingSteps, settings.GuidanceScale);

    private PortraitData.Captioned[] TrainingData() =>
        PortraitData.Described(new Random(settings.Seed + 4), settings.TrainingImages, settings.World, settings.GroupCaptionShare);

    // Every word a caption or an edit prompt can hold: the neutral captions and every group's words.
    private static IEnumerable<string> Words() =>
    [
        .. PortraitWorld.Occupations.Select(o => PortraitWorld.Caption(o.Name, null)),
        .. PortraitWorld.Attributes.SelectMany(a => a.Categories).Select(PortraitData.AnswerText),
        "a", "an",
    ];
}
