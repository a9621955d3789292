using System.CommandLine;

namespace Fairscope.Cli;

/// <summary>Options shared by <c>audit</c> and <c>report</c>: which annotators label samples, bootstrap settings and gates.</summary>
internal sealed class AnalysisOptions
{
    public Option<string[]> FailAbove { get; } = new("--fail-above")
    {
        Description = "Fail (exit 1) when METRIC exceeds VALUE, e.g. gender.bias_score=0.30; repeatable. Suffix .worst, .ci_high or .ci_low to gate on the worst prompt or an interval bound",
        AllowMultipleArgumentsPerToken = false,
    };
    public Option<string[]> Lexicons { get; } = new("--lexicon") { Description = "A lexicon YAML file for an attribute (docs/annotators.md); repeatable; takes priority over the built-in one" };
    public Option<string?> JudgeModel { get; } = new("--judge-model") { Description = "Label attributes with this judge model (OpenAI-compatible chat; for image suites one that accepts images); text: its labels take priority over lexicons; images: after --face-classifier models and face-api" };
    public Option<string?> JudgeBaseUrl { get; } = new("--judge-base-url") { Description = "Endpoint of the judge model (default: --base-url for --provider openai or openai-images, else the OpenAI API)" };
    public Option<string> JudgeApiKeyEnv { get; } = new("--judge-api-key-env") { Description = "Environment variable holding the judge's API key", DefaultValueFactory = _ => OpenAIEndpoint.DefaultApiKeyVariable };
    public Option<int> Bootstrap { get; } = new("--bootstrap") { Description = "Bootstrap resamples for confidence intervals", DefaultValueFactory = _ => 1000 };
    public Option<string?> FaceModels { get; } = new("--face-models") { Description = $"Images: the model/ folder of {FaceApiPackage.Name}@{FaceApiPackage.Version} (default ${FaceApiPackage.ModelsVariable}, else the copy 'fairscope models fetch face-api' installs), or none" };
    public Option<string[]> FaceClassifiers { get; } = new("--face-classifier") { Description = "Images: an ONNX classifier of face crops with its YAML sidecar (docs/annotators.md), e.g. a FairFace export for race; repeatable; takes priority over face-api" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { FailAbove, Lexicons, JudgeModel, JudgeBaseUrl, JudgeApiKeyEnv, Bootstrap, FaceModels, FaceClassifiers }) command.Options.Add(option);
    }

    public IReadOnlyList<FairnessGate> Gates(ParseResult parse, Suite suite)
    {
        var gates = (parse.GetValue(FailAbove) ?? []).Select(FairnessGate.Parse).ToList();
        foreach (var gate in gates) gate.CheckNames(suite);
        return gates;
    }

    /// <summary>The annotators for a run of <paramref name="suite"/>: text annotators, or for an image suite the image
    /// annotators reading <paramref name="images"/>. Dispose the result to release the face models.</summary>
    /// <summary>The annotators of an audit; <paramref name="world"/> is the annotator that comes with a built-in model (the portrait
    /// world's classifier), which takes priority and makes face-api opt-in (<c>--face-models</c>).</summary>
    public ChosenAnnotators Annotators(ParseResult parse, Suite suite, string? defaultBaseUrl, RetryOptions retry, ImageStore? images, IAnnotator? world = null)
    {
        if (suite.Modality != Suite.Image && (parse.GetValue(FaceModels) is not null || parse.GetValue(FaceClassifiers) is { Length: > 0 }))
            throw new FairscopeException($"--face-models and --face-classifier label images, but suite '{suite.Name}' is for text models");
        if (suite.Modality == Suite.Image && parse.GetValue(Lexicons) is { Length: > 0 })
            throw new FairscopeException($"--lexicon labels text, but suite '{suite.Name}' is for images; use --face-classifier or --judge-model");
        var owned = new List<IDisposable>();
        try
        {
            var judgeModel = parse.GetValue(JudgeModel);
            (Microsoft.Extensions.AI.IChatClient, string)? judge = null;
            if (judgeModel is not null)
            {
                var client = OpenAIEndpoint.CreateChatClient(parse.GetValue(JudgeBaseUrl) ?? defaultBaseUrl ?? OpenAIEndpoint.DefaultBaseUrl, judgeModel,
                    parse.GetValue(JudgeApiKeyEnv)!, retry);
                owned.Add(client);
                judge = (client, judgeModel);
            }
            if (suite.Modality != Suite.Image) return new ChosenAnnotators(AnnotatorSet.For(suite, parse.GetValue(Lexicons) ?? [], judge), owned);
            var faceModels = parse.GetValue(FaceModels);
            var faceApi = faceModels == "none" || world is not null && faceModels is null ? null : FaceApiModels.Load(FaceApiPackage.Locate(faceModels));
            if (faceApi is not null) owned.Add(faceApi);
            var classifiers = new List<OnnxFaceClassifier>();
            foreach (var file in parse.GetValue(FaceClassifiers) ?? [])
            {
                classifiers.Add(OnnxFaceClassifier.Load(file));
                owned.Add(classifiers[^1]);
            }
            return new ChosenAnnotators(AnnotatorSet.ForImages(suite, images ?? throw new InvalidOperationException("an image suite needs the run's image store"),
                faceApi, classifiers, judge, world), owned);
        }
        catch
        {
            foreach (var o in owned) o.Dispose();
            throw;
        }
    }

    /// <summary>The chosen annotators and the models they run, released together.</summary>
    public sealed record ChosenAnnotators(IReadOnlyList<IAnnotator> List, IReadOnlyList<IDisposable> Owned) : IDisposable
    {
        public void Dispose()
        {
            foreach (var o in Owned) o.Dispose();
        }
    }

    public Bootstrap BootstrapFor(ParseResult parse, long seed)
    {
        var resamples = parse.GetValue(Bootstrap);
        if (resamples is < 100 or > 100_000) throw new FairscopeException($"--bootstrap {resamples} must be between 100 (a 95% interval needs them) and 100000");
        return new Bootstrap(resamples, 0.95, (int)(seed & int.MaxValue));
    }

    public static int AnnotationConcurrency(ParseResult parse, AnalysisOptions options, int requestConcurrency) =>
        parse.GetValue(options.JudgeModel) is null ? Environment.ProcessorCount : Math.Max(requestConcurrency, Environment.ProcessorCount);

    /// <summary>Where a judge goes without --judge-base-url: the audited endpoint when it speaks chat completions (openai, and
    /// openai-images, which a unified model serves beside its chat API), else the OpenAI API.</summary>
    public static string? JudgeDefaultEndpoint(string provider, string? endpoint) =>
        provider is "openai" or ImageProviderOptions.OpenAIImages ? endpoint : null;

    /// <summary>Prints which attributes no annotator labels (an image suite's race without a classifier or judge).</summary>
    public static void WarnUncovered(Suite suite, IReadOnlyList<IAnnotator> annotators)
    {
        foreach (var a in suite.Attributes.Where(a => !a.IsIntersection && !annotators.Any(x => x.Attributes.Contains(a.Name))))
            Console.Error.WriteLine($"fairscope: note: no annotator labels '{a.Name}', so it stays unknown; pass --face-classifier (e.g. a FairFace export) or --judge-model for it");
    }
}
