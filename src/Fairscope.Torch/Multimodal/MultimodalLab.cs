using System.Diagnostics;
using static TorchSharp.torch;

namespace Fairscope;

/// <summary>
/// The unified-multimodal laboratory (docs/multimodal.md), after "On Fairness of Unified Multimodal Large Language Model
/// for Image Generation" (arXiv 2502.03429), on the portrait world and a CPU: an attribute classifier (the annotator),
/// an image tokenizer and a unified model trained on skewed data; audits of generation and understanding through the
/// normal audit path; locate-then-fix (a linear probe and a balanced-tokenizer swap for the tokenizer, exact and sampled
/// image-token distributions for the language model); balanced preference optimisation in two stages and the paper's
/// understanding-only control, each re-audited. Trained models are cached (<see cref="ModelCache"/>), audits are runs in
/// the output folder's store (an interrupted job resumes), and everything is deterministic for the settings' seed.
/// </summary>
public sealed class MultimodalLab(MultimodalSettings settings, ModelCache cache, string outputFolder, LabProgress? progress = null)
{
    /// <summary>Files written into the output folder besides run.db, the images and the per-model reports.</summary>
    public const string WorldSheet = "world.png";

    /// <summary>The name <c>--model builtin:NAME</c> gives the unified model.</summary>
    public const string BuiltinName = "umllm";

    private static readonly string[] LocatedAttributes = ["gender", "race"];

    private static Suite Suite => PortraitAuditor.Suite;

    private readonly PortraitModels _models = new(cache, settings.Seed, progress);

    private Bootstrap Bootstrap => new(Seed: settings.Seed);

    /// <summary>Runs every stage and returns what it measured.</summary>
    public async Task<MultimodalResult> RunAsync(CancellationToken cancellationToken)
    {
        settings.Validate();
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(outputFolder);
        await File.WriteAllBytesAsync(Path.Combine(outputFolder, WorldSheet), ImageDecoder.EncodePng(WorldSheetImage()), cancellationToken);

        using var classifier = Classifier(cancellationToken);
        var images = new ImageStore(outputFolder);
        using var annotator = new PortraitClassifierAnnotator(classifier.Model, images, Suite.Attributes, classifier.Key);
        await using var store = SqliteRunStore.Open(Path.Combine(outputFolder, SqliteRunStore.FileName));
        var audit = new Auditor(settings, Bootstrap, progress, outputFolder, store, images, annotator);

        var organismDirectory = OrganismDirectory(cancellationToken);
        using var organism = UnifiedModel.Load(organismDirectory);
        var tokenizer = TokenizerQualityOf(organism.Tokenizer);
        var models = new List<ModelReport>();
        var (baseReport, baseInput) = await audit.RunAsync(organism, organismDirectory, "base", "the unified model trained on the skewed world", cancellationToken);
        models.Add(baseReport);

        var locate = Locate(organism, baseInput, annotator);
        var swapDirectory = OrganismDirectory(cancellationToken, balancedTokenizer: true);
        using (var swapped = UnifiedModel.Load(swapDirectory))
            models.Add((await audit.RunAsync(swapped, swapDirectory, "swap", "the same data and recipe with an image tokenizer trained on the balanced world", cancellationToken)).Report);
        foreach (var (name, description) in new[]
                 {
                     ("sft", "stage 1: base fine-tuned on balanced portraits of every occupation × group"),
                     ("bpo", "stages 1 and 2: stage 1, then BPO over gender and race pairs with the autoregressive loss kept"),
                     ("understanding", "control: base fine-tuned on understanding questions only (balanced world)"),
                 })
        {
            var tunedDirectory = FineTunedDirectory(name, cancellationToken);
            using var tuned = UnifiedModel.Load(tunedDirectory);
            models.Add((await audit.RunAsync(tuned, tunedDirectory, name, description, cancellationToken)).Report);
        }
        return new MultimodalResult(MultimodalResult.CurrentFormatVersion, settings, classifier.Accuracy, tokenizer, models, locate,
            MultimodalFindings.Describe(models, locate), clock.Elapsed.TotalSeconds);
    }

    /// <summary>The cached directory of the base unified model (<c>builtin:umllm</c>), training what it needs first.</summary>
    public string ModelDirectory(CancellationToken cancellationToken)
    {
        settings.Validate();
        return OrganismDirectory(cancellationToken);
    }

    private string Key(params object[] parts) => _models.Key(parts);

    private PortraitModels.Progress? Steps(string key, string name, int steps) => _models.Steps(key, name, steps);

    // ---- the world's annotator ----

    private string ClassifierKey => _models.ClassifierKey(settings.ClassifierImages, settings.ClassifierSteps);

    private PortraitModels.TrainedClassifier Classifier(CancellationToken cancellationToken) =>
        _models.Classifier(settings.ClassifierImages, settings.ClassifierSteps, Bootstrap, cancellationToken);

    private static Tensor Pixels(IReadOnlyList<Portrait> portraits) => PortraitModels.Pixels(portraits);

    private RgbImage WorldSheetImage()
    {
        var random = new Random(settings.Seed + 3);
        var portraits = PortraitWorld.Occupations.SelectMany((_, o) => Enumerable.Range(0, 12).Select(_ => PortraitWorld.Draw(random, settings.World, o)));
        return ContactSheet.Tile([.. portraits.Select(PortraitWorld.Render)], columns: 12, scale: 3);
    }

    // ---- the organism ----

    private string TokenizerKey(bool balanced) => Key("image-tokenizer", balanced, settings.World, settings.GenerationImages, settings.Tokenizer, settings.TokenizerSteps);

    // The organism's tokenizer learns from the pictures the model learns to draw; the swap's from as many balanced ones.
    private VqAutoencoder Tokenizer(bool balanced, CancellationToken cancellationToken) =>
        _models.Autoencoder(TokenizerKey(balanced), "image-tokenizer", () =>
        {
            var random = new Random(settings.Seed + 4);
            return balanced
                ? PortraitData.Balanced(random, Math.Max(1, settings.GenerationImages / (PortraitWorld.Occupations.Count * 24)))
                : [.. PortraitData.Generation(random, settings.GenerationImages, settings.World, 0).Select(c => c.Portrait)];
        }, settings.Tokenizer, settings.TokenizerSteps, cancellationToken);

    private TokenizerQuality TokenizerQualityOf(VqAutoencoder tokenizer)
    {
        var portraits = PortraitData.Balanced(new Random(settings.Seed + 2), 1);
        using var scope = NewDisposeScope();
        var pixels = Pixels(portraits);
        var errors = (tokenizer.Reconstruct(pixels) - pixels).square().mean([1, 2, 3]).to(ScalarType.Float64).cpu().data<double>().ToArray();
        var byGroup = PortraitWorld.Attributes.ToDictionary(a => a.Name, a => (IReadOnlyDictionary<string, double>)a.Categories.ToDictionary(c => c,
            c => portraits.Select((p, i) => (p, i)).Where(x => PortraitWorld.Category(x.p, a.Name) == c).Average(x => errors[x.i])));
        return new TokenizerQuality(errors.Average(), byGroup, tokenizer.Evaluate(pixels).CodesUsed);
    }

    /// <summary>Every word the model can meet: all captions, questions and answers of the world.</summary>
    private static IEnumerable<string> Texts(IReadOnlyList<string> occupations)
    {
        foreach (var occupation in occupations)
        {
            yield return PortraitWorld.Caption(occupation, null);
            foreach (var (_, categories) in PortraitWorld.Attributes)
                foreach (var category in categories) yield return PortraitWorld.Caption(occupation, category);
        }
        for (int o = 0; o < occupations.Count; o++)
            foreach (var attribute in PortraitData.QuestionAttributes) yield return PortraitData.QuestionText(attribute, o);
        yield return DemographicAttribute.Unknown;
    }

    private string OrganismKey(bool balancedTokenizer) => Key("unified-model", TokenizerKey(balancedTokenizer), ClassifierKey, settings.Model, settings.ModelSteps,
        settings.GenerationImages, settings.UnderstandingImages, settings.UnanswerableShare, settings.GroupCaptionShare);

    private string OrganismDirectory(CancellationToken cancellationToken, bool balancedTokenizer = false)
    {
        var key = OrganismKey(balancedTokenizer);
        var name = balancedTokenizer ? "unified-model-swap" : "unified-model";
        return cache.GetOrCreate(key, name, temporary =>
        {
            using var tokenizer = Tokenizer(balancedTokenizer, cancellationToken);
            var vocabulary = MultimodalVocabulary.Build(Texts([.. PortraitWorld.Occupations.Select(o => o.Name)]), tokenizer.Config.CodebookSize);
            using var model = new UnifiedModel(new Gpt(settings.Model with { VocabSize = vocabulary.Size }, settings.Seed), tokenizer, vocabulary);
            var random = new Random(settings.Seed + 5);
            var examples = Examples(model, PortraitData.Generation(random, settings.GenerationImages, settings.World, settings.GroupCaptionShare),
                PortraitData.Understanding(random, settings.UnderstandingImages, settings.World, settings.UnanswerableShare));
            Trainer(settings.ModelSteps, 2e-3).Train(model.Language, examples, progress: Steps(key, name, settings.ModelSteps), cancellationToken: cancellationToken);
            model.Save(temporary);
            using var classifier = Classifier(cancellationToken);
            classifier.Model.Save(Path.Combine(temporary, UnifiedModel.ClassifierFolder)); // the annotator travels with the model
        });
    }

    private LanguageModelTrainer Trainer(int steps, double learningRate) =>
        new(new TrainerConfig(Steps: steps, BatchSize: 32, LearningRate: learningRate, WarmupSteps: Math.Min(100, steps / 10),
            MinLearningRate: learningRate / 10, WeightDecay: 0.1, Seed: settings.Seed));

    private static List<TrainingExample> Examples(UnifiedModel model, IReadOnlyList<PortraitData.Captioned> captioned, IReadOnlyList<PortraitData.Question> questions)
    {
        var examples = new List<TrainingExample>(captioned.Count + questions.Count);
        var codes = captioned.Count == 0 ? [] : model.Encode([.. captioned.Select(c => PortraitWorld.Render(c.Portrait))]);
        examples.AddRange(captioned.Select((c, i) => model.GenerationExample(c.Caption, codes[i])));
        var questionCodes = questions.Count == 0 ? [] : model.Encode([.. questions.Select(q => q.Image)]);
        examples.AddRange(questions.Select((q, i) => model.UnderstandingExample(questionCodes[i], q.Text, q.Answer)));
        return examples;
    }

    // ---- mitigation: BPO in two stages, and the understanding-only control ----

    private string FineTunedDirectory(string name, CancellationToken cancellationToken)
    {
        int steps = name == "bpo" ? settings.PreferenceSteps : settings.FineTuneSteps;
        var parent = name == "bpo" ? FineTunedDirectory("sft", cancellationToken) : OrganismDirectory(cancellationToken);
        var key = name == "bpo"
            ? Key(name, OrganismKey(false), steps, settings.FineTuneSteps, settings.PreferenceBeta, settings.AutoregressiveWeight)
            : Key(name, OrganismKey(false), steps);
        return cache.GetOrCreate(key, $"unified-model-{name}", temporary =>
        {
            using var model = UnifiedModel.Load(parent);
            var random = new Random(settings.Seed + 6);
            int rounds = Math.Max(1, settings.GenerationImages / 4 / (PortraitWorld.Occupations.Count * 24));
            var balancedQuestions = PortraitData.Understanding(random, settings.UnderstandingImages / 2, PortraitWorldOptions.Balanced, settings.UnanswerableShare);
            var stepProgress = Steps(key, $"unified-model-{name}", steps);
            switch (name)
            {
                case "sft":
                    Trainer(steps, 5e-4).Train(model.Language, Examples(model, PortraitData.BalancedGeneration(random, rounds, settings.GroupCaptionShare), balancedQuestions),
                        progress: stepProgress, cancellationToken: cancellationToken);
                    break;
                case "understanding":
                    Trainer(steps, 5e-4).Train(model.Language, Examples(model, [], balancedQuestions), progress: stepProgress, cancellationToken: cancellationToken);
                    break;
                case "bpo":
                    var alpha = (float)settings.AutoregressiveWeight;
                    var kept = alpha == 0 ? [] : Examples(model, PortraitData.BalancedGeneration(random, rounds, settings.GroupCaptionShare), balancedQuestions)
                        .Select(e => e with { Weights = [.. Enumerable.Range(0, e.Tokens.Count).Select(i => alpha * e.WeightAt(i))] }).ToList();
                    var bpo = new SummedLoss([.. LocatedAttributes.Select(a => (IAuxiliaryLoss)new BalancedPreferenceLoss(model.Language.Config,
                        PreferenceSets(model, random, a), beta: settings.PreferenceBeta))]);
                    Trainer(steps, 3e-4).Train(model.Language, kept, progress: stepProgress, auxiliary: bpo, cancellationToken: cancellationToken);
                    break;
            }
            model.Save(temporary);
        });
    }

    // The neutral caption's prefix, and one completion per group: the image tokens of the same person in that group.
    private static List<PreferenceSet> PreferenceSets(UnifiedModel model, Random random, string attribute)
    {
        var drawn = PortraitData.PreferencePortraits(random, 64, attribute);
        var codes = model.Encode([.. drawn.SelectMany(d => d.Groups).Select(PortraitWorld.Render)]);
        int groups = drawn[0].Groups.Length;
        return [.. drawn.Select((d, i) => new PreferenceSet(model.GenerationPrefix(d.Caption),
            [.. Enumerable.Range(0, groups).Select(g => (IReadOnlyList<int>)model.ImageTokens(codes[i * groups + g]))]))];
    }

    // ---- locate ----

    private LocateReport Locate(UnifiedModel model, ReportInput baseAudit, PortraitClassifierAnnotator annotator)
    {
        // The tokenizer: a linear probe from its encoder features to each attribute, on balanced held-out portraits.
        var portraits = PortraitData.Balanced(new Random(settings.Seed + 7), 4);
        double[][] features;
        using (var scope = NewDisposeScope())
        {
            var flat = model.Tokenizer.Features(Pixels(portraits)).to(ScalarType.Float64).cpu();
            int width = (int)flat.shape[1];
            var values = flat.data<double>().ToArray();
            features = [.. Enumerable.Range(0, portraits.Length).Select(i => values[(i * width)..((i + 1) * width)])];
        }
        var labels = PortraitWorld.Attributes.ToDictionary(a => a.Name, a => (IReadOnlyList<string?>)[.. portraits.Select(p => PortraitWorld.Category(p, a.Name))]);
        var probe = LinearProbe.Evaluate(features, labels, new ProbeOptions(Seed: settings.Seed));

        // The language model: each occupation's neutral prompt against its group prompts, exactly and by sampling.
        var perceived = PerceivedByOccupation(baseAudit);
        var exact = new List<TokenConcept>();
        var sampled = new List<TokenConcept>();
        var references = PortraitData.Balanced(new Random(settings.Seed + 8), rounds: 2);
        for (int o = 0; o < PortraitWorld.Occupations.Count; o++)
        {
            var occupation = PortraitWorld.Occupations[o].Name;
            var referenceCodes = model.Encode([.. references.Where(p => p.Occupation == o).Select(PortraitWorld.Render)]);
            var seeds = Enumerable.Range(0, settings.LocateSamples).Select(i => (long)settings.Seed * 1_000_003 + o * 10_007 + i).ToArray();
            double[] Histogram(string caption) => TokenHistogram.Count(model.DrawCodes(caption, seeds).Select(c => (IReadOnlyList<int>)c), model.Vocabulary.Codebook);
            var neutral = PortraitWorld.Caption(occupation, null);
            var groups = LocatedAttributes.SelectMany(a => PortraitWorld.Attributes.First(x => x.Name == a).Categories.Select(c => (a, c))).ToList();
            exact.Add(new TokenConcept(occupation, model.CodeDistribution(neutral, referenceCodes),
                [.. groups.Select(g => new GroupTokens(g.a, g.c, model.CodeDistribution(PortraitWorld.Caption(occupation, g.c), referenceCodes)))], perceived[occupation]));
            sampled.Add(new TokenConcept(occupation, Histogram(neutral),
                [.. groups.Select(g => new GroupTokens(g.a, g.c, Histogram(PortraitWorld.Caption(occupation, g.c))))], perceived[occupation]));
            progress?.Advance(LabProgress.Locate);
        }
        return new LocateReport(probe, TokenLocator.Locate(exact, Bootstrap), TokenLocator.Locate(sampled, Bootstrap));
    }

    // The classifier's labels of the base audit's images, per occupation and attribute.
    private static Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>> PerceivedByOccupation(ReportInput audit) =>
        audit.Result.Prompts.ToDictionary(p => PortraitWorld.Occupations[PortraitAuditor.OccupationOf(p)].Name, p => (IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>)
            LocatedAttributes.ToDictionary(a => a, a => p.Attributes[a].Counts));

    // ---- audits ----

    /// <summary>Audits one model through the shared portrait audit (with the ask-mode understanding probe), plus the lab's
    /// understanding accuracy. The run's model is named by its cache entry (name and key), so a retrained model never
    /// resumes another's samples.</summary>
    private sealed class Auditor(MultimodalSettings settings, Bootstrap bootstrap, LabProgress? progress, string outputFolder, IRunStore store, ImageStore images,
        PortraitClassifierAnnotator annotator)
    {
        private readonly PortraitAuditor _audit = new(bootstrap, progress, outputFolder, store, images, annotator, settings.SamplesPerPrompt, settings.Seed);

        public async Task<(ModelReport Report, ReportInput Input)> RunAsync(UnifiedModel model, string directory, string name, string description,
            CancellationToken cancellationToken)
        {
            var options = new GenerationOptions(Temperature: 1, MaxOutputTokens: 4);
            Task<UnderstandingResult> Understand(RunSpec spec, AnnotatedRun annotated, AuditResult generation)
            {
                var questions = UnderstandingSuite.Build(Suite, ProbeMode.Ask, null);
                var parameters = new UnderstandingAudit.Parameters(ProbeMode.Ask, "blank image", options);
                var understanding = new RunSpec(UnderstandingAudit.RunName(name), Suite.Name, Suite.SourceText, "understanding", spec.Model, null,
                    settings.SamplesPerPrompt, settings.Seed, parameters.ToJson());
                var probe = new UnderstandingProbe(new UnifiedChatClient(model), spec.Model, ProbeMode.Ask, questions, null, images, options);
                return RunProbeAsync(probe, understanding, generation, questions, cancellationToken);
            }
            var audit = await _audit.RunAsync(new UnifiedImageGenerator(model), "builtin-umllm", $"{BuiltinName}:{Path.GetFileName(directory)}", name,
                cancellationToken, Understand);
            var input = audit.Input;
            return (new ModelReport(name, description, audit.Bias, input.Understanding?.Alignment ?? [], UnderstandingAccuracy(model), audit.Recognisability,
                audit.WorldDistance, audit.Folder), input);
        }

        private async Task<UnderstandingResult> RunProbeAsync(UnderstandingProbe probe, RunSpec spec, AuditResult generation, UnderstandingSuite questions,
            CancellationToken cancellationToken)
        {
            using (probe)
                return await new UnderstandingAudit(store, bootstrap, concurrency: 1).RunAsync(spec, generation, questions, probe, progress?.Sampling(), cancellationToken);
        }

        // Greedy answers to held-out questions about balanced portraits (and empty scenes, whose answer is unknown).
        private IReadOnlyDictionary<string, Estimate> UnderstandingAccuracy(UnifiedModel model)
        {
            var questions = PortraitData.Understanding(new Random(settings.Seed + 9), 200, PortraitWorldOptions.Balanced, settings.UnanswerableShare);
            var correct = questions.Select((q, i) => model.Answer(q.Image, q.Text, i, temperature: 0) == q.Answer ? 1.0 : 0.0).ToArray();
            return PortraitData.QuestionAttributes.ToDictionary(a => a, a => bootstrap.Mean([.. correct.Where((_, i) => questions[i].Attribute == a)]));
        }
    }
}
