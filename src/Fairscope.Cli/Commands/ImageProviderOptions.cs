using System.CommandLine;
using Microsoft.Extensions.AI;

namespace Fairscope.Cli;

/// <summary>The image providers of <c>fairscope audit</c> (openai-images, a1111, replay-images, builtin-umllm, builtin-diffusion): their options, which
/// provider each applies to, and how the sample generator is built for a run folder.</summary>
internal sealed class ImageProviderOptions
{
    public const string OpenAIImages = "openai-images", A1111 = "a1111", ReplayImages = "replay-images", BuiltinUnified = "builtin-umllm",
        BuiltinDiffusion = "builtin-diffusion";

    // The built-in models draw a prompt's images as rows of one batch: many rows cost little more than one.
    private const int BuiltinImagesPerRequest = 16;

    public Option<string?> Size { get; } = new("--size") { Description = "Image size WIDTHxHEIGHT (openai-images: default the server's; a1111: default 512x512)" };
    public Option<int> ImagesPerRequest { get; } = new("--images-per-request") { Description = "Images (samples of one prompt) per request: n for openai-images, batch_size for a1111", DefaultValueFactory = _ => 1 };
    public Option<string?> Quality { get; } = new("--quality") { Description = "openai-images: image quality as the model names it (standard, hd, low, medium, high, auto)" };
    public Option<string?> ResponseFormat { get; } = new("--response-format") { Description = "openai-images: url or b64_json (default the server's; gpt-image models accept neither)" };
    public Option<bool> SendSeed { get; } = new("--send-seed") { Description = "openai-images: send each request's seed as \"seed\", for compatible servers that honour it (OpenAI's API rejects it)" };
    public Option<int?> Steps { get; } = new("--steps") { Description = "a1111: sampling steps (default 20); builtin-diffusion: DDIM steps (default the model's)" };
    public Option<double?> CfgScale { get; } = new("--cfg-scale") { Description = "a1111: classifier-free guidance scale (default 7); builtin-diffusion: default the model's" };
    public Option<string?> NegativePrompt { get; } = new("--negative-prompt") { Description = "a1111: what the images should not show" };
    public Option<string?> Sampler { get; } = new("--sampler") { Description = "a1111: sampler name, e.g. \"DPM++ 2M\" (default the server's)" };
    public Option<string?> Replay { get; } = new("--replay-images") { Description = "With --provider replay-images: a folder of PROMPT_ID/SAMPLE_INDEX.EXT images, or a CSV manifest (prompt_id,sample_index,file)" };

    /// <summary>True for the provider names this class builds.</summary>
    public static bool IsImageProvider(string kind) => kind is OpenAIImages or A1111 or ReplayImages or BuiltinUnified or BuiltinDiffusion;

    public void AddTo(Command command)
    {
        foreach (var (option, _) in Applicability()) command.Options.Add(option);
    }

    /// <summary>Refuses an option given on the command line for a provider that would ignore it.</summary>
    public void CheckApplicable(ParseResult parse, string kind)
    {
        foreach (var (option, kinds) in Applicability())
            if (parse.GetResult(option) is { Implicit: false } && !kinds.Contains(kind))
                throw new FairscopeException($"{option.Name} applies to --provider {string.Join(" or ", kinds)}, not {kind}");
    }

    private IEnumerable<(Option Option, string[] Kinds)> Applicability() =>
    [
        (Size, [OpenAIImages, A1111]), (ImagesPerRequest, [OpenAIImages, A1111, BuiltinUnified, BuiltinDiffusion]),
        (Quality, [OpenAIImages]), (ResponseFormat, [OpenAIImages]), (SendSeed, [OpenAIImages]),
        (Steps, [A1111, BuiltinDiffusion]), (CfgScale, [A1111, BuiltinDiffusion]), (NegativePrompt, [A1111]), (Sampler, [A1111]),
        (Replay, [ReplayImages]),
    ];

    /// <summary>An image provider ready for <c>audit</c>: what its switch sets for any provider, plus the run's image store and,
    /// for a unified model run in-process, its understanding side.</summary>
    public sealed record Provider(ISampleGenerator Generator, string Model, string? Endpoint, string Parameters, int? NaturalSamples, ImageStore Images,
        Func<Microsoft.Extensions.AI.IChatClient>? Chat = null, PortraitClassifierAnnotator? World = null);

    /// <summary>Builds provider <paramref name="kind"/>; <paramref name="folderOf"/> gives the run folder for a model name,
    /// where the images are stored; <paramref name="intervention"/>, when given, wraps the generator (<see cref="FairPromptingImageGenerator"/>).</summary>
    public Provider Create(ParseResult parse, string kind, Suite suite, string? model, string? baseUrl, string apiKeyVariable, RetryOptions retry,
        Func<string, string> folderOf, FairPromptingOptions? intervention, double temperature, CancellationToken cancellationToken)
    {
        if (kind == ReplayImages)
        {
            var path = parse.GetValue(Replay) ?? throw new FairscopeException("--provider replay-images needs --replay-images DIR|CSV (the images keyed by prompt id and sample index)");
            var name = model ?? Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(path));
            var store = new ImageStore(folderOf(name));
            var replayed = ReplayImageSampleGenerator.Load(path, suite, store);
            return new Provider(replayed, name, null, System.Text.Json.JsonSerializer.Serialize(new { replay_sha256 = replayed.ContentHash }),
                replayed.MaxSamplesPerPrompt, store);
        }

        var settings = Settings(parse, kind);
        if (kind == BuiltinUnified)
        {
            var directory = ModelArgument.Resolve(model ?? throw new FairscopeException($"--provider {BuiltinUnified} needs --model builtin:{MultimodalLab.BuiltinName} or a unified model directory"), cancellationToken);
            var name = Path.GetFullPath(directory);
            var store = new ImageStore(folderOf(name));
            var parameters = System.Text.Json.Nodes.JsonNode.Parse(settings.ToJson())!.AsObject();
            parameters["temperature"] = temperature;
            var unified = UnifiedModel.Load(directory);
            try
            {
                // The model's identity leaves out its world's classifier: that is the annotator, whose version labels carry.
                parameters["model_sha256"] = ModelArgument.HashOf(directory, ModelArgument.FilesUnder(directory)
                    .Where(f => !f.StartsWith(UnifiedModel.ClassifierFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal)));
                var world = WorldAnnotator(directory, UnifiedModel.ClassifierFolder, store, suite);
                var drawing = new ImageGeneratorBuilder(new UnifiedImageGenerator(unified, (float)temperature, ownsModel: true)).UseFairPrompting(intervention).Build();
                return new Provider(new ImageSampleGenerator(drawing, store, settings), name, null, parameters.ToJsonString(), null, store, () => new UnifiedChatClient(unified), world);
            }
            catch
            {
                unified.Dispose();
                throw;
            }
        }
        if (kind == BuiltinDiffusion)
        {
            var directory = ModelArgument.Resolve(model ?? throw new FairscopeException($"--provider {BuiltinDiffusion} needs --model builtin:{DiffusionLab.BuiltinName} or a diffusion model directory"), cancellationToken);
            var name = Path.GetFullPath(directory);
            var store = new ImageStore(folderOf(name));
            var diffusion = DiffusionModel.Load(directory);
            try
            {
                // The model's identity leaves out its world's classifier: that is the annotator, whose version labels carry.
                var parameters = System.Text.Json.Nodes.JsonNode.Parse(settings.ToJson())!.AsObject();
                parameters["model_sha256"] = ModelArgument.HashOf(directory, ModelArgument.FilesUnder(directory)
                    .Where(f => !f.StartsWith(DiffusionModel.ClassifierFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal)));
                var world = WorldAnnotator(directory, DiffusionModel.ClassifierFolder, store, suite);
                var drawing = new ImageGeneratorBuilder(new DiffusionImageGenerator(diffusion, settings.Steps, settings.CfgScale, ownsModel: true)).UseFairPrompting(intervention).Build();
                return new Provider(new ImageSampleGenerator(drawing, store, settings), name, null, parameters.ToJsonString(), null, store, World: world);
            }
            catch
            {
                diffusion.Dispose();
                throw;
            }
        }
        string modelName, endpoint;
        IImageGenerator images;
        if (kind == OpenAIImages)
        {
            modelName = model ?? throw new FairscopeException("--provider openai-images needs --model (the image model the endpoint serves, e.g. gpt-image-1)");
            endpoint = baseUrl ?? OpenAIEndpoint.DefaultBaseUrl;
            images = OpenAIImageEndpoint.CreateImageGenerator(endpoint, modelName, apiKeyVariable, retry, settings);
        }
        else
        {
            modelName = model ?? A1111;
            endpoint = baseUrl ?? A1111ImageGenerator.DefaultBaseUrl;
            images = new ImageGeneratorBuilder(new A1111ImageGenerator(endpoint, model, settings, retry.RequestTimeout + TimeSpan.FromSeconds(5)))
                .UseRetries(retry).Build();
        }
        images = images.AsBuilder().UseFairPrompting(intervention).Build();
        var imageStore = new ImageStore(folderOf(modelName));
        return new Provider(new ImageSampleGenerator(images, imageStore, settings, retry.RequestTimeout), modelName, endpoint, settings.ToJson(), null, imageStore);
    }

    // The portrait world's classifier that a laboratory-trained model carries, as the annotator of its images; null without one.
    private static PortraitClassifierAnnotator? WorldAnnotator(string directory, string folder, ImageStore store, Suite suite)
    {
        var classifier = Path.Combine(directory, folder);
        return Directory.Exists(classifier)
            ? new PortraitClassifierAnnotator(AttributeClassifier.Load(classifier), store, suite.Attributes, ModelArgument.HashOf(classifier)[..16])
            : null;
    }

    // a1111 gets explicit defaults, so the run records the values it was generated with.
    private ImageSettings Settings(ParseResult parse, string kind)
    {
        var a1111 = kind == A1111;
        (int, int)? size = parse.GetValue(Size) is { } text ? ImageSettings.ParseSize(text) : a1111 ? (512, 512) : null;
        var perRequest = parse.GetResult(ImagesPerRequest) is { Implicit: false } || kind is not (BuiltinUnified or BuiltinDiffusion) ? parse.GetValue(ImagesPerRequest) : BuiltinImagesPerRequest;
        if (perRequest is < 1 or > 64) throw new FairscopeException($"--images-per-request {perRequest} must be between 1 and 64");
        var format = parse.GetValue(ResponseFormat);
        if (format is not (null or ImageSettings.Url or ImageSettings.Base64))
            throw new FairscopeException($"--response-format '{format}' must be {ImageSettings.Url} or {ImageSettings.Base64}");
        var steps = parse.GetValue(Steps) ?? (a1111 ? 20 : null);
        if (steps is < 1 or > 1000) throw new FairscopeException($"--steps {steps} must be between 1 and 1000");
        var cfg = parse.GetValue(CfgScale) ?? (a1111 ? 7.0 : null);
        if (cfg is { } c && !(c > 0 && c <= 100)) throw new FairscopeException($"--cfg-scale {c} must be above 0 and at most 100");
        return new ImageSettings(size?.Item1, size?.Item2, perRequest, parse.GetValue(Quality), format, parse.GetValue(SendSeed),
            parse.GetValue(NegativePrompt), steps, cfg, parse.GetValue(Sampler));
    }
}
