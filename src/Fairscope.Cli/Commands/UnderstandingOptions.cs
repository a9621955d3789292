using System.CommandLine;

namespace Fairscope.Cli;

/// <summary>
/// <c>fairscope audit --understanding ask|choose</c>: after an image audit, ask the same (unified multimodal) model
/// understanding questions about the same prompts and report partial alignment (docs/images.md).
/// </summary>
internal sealed class UnderstandingOptions
{
    public Option<string?> Mode { get; } = new("--understanding") { Description = "Image suites: also probe the model's understanding (partial alignment): ask (the U-MLLM paper's VQA question with a blank image) or choose (pick one of a balanced set of numbered images); needs a chat endpoint that accepts images" };
    public Option<string?> Model { get; } = new("--understanding-model") { Description = "The chat model asked (with --provider openai-images default --model: a unified model answers about what it draws)" };
    public Option<string?> BaseUrl { get; } = new("--understanding-base-url") { Description = "Its OpenAI-compatible chat endpoint (with --provider openai-images default --base-url)" };
    public Option<string?> Images { get; } = new("--understanding-images") { Description = "choose mode: a CSV manifest (file + one column per attribute) of labelled images to draw balanced sets from (default the run's own annotated images)" };
    public Option<int?> Samples { get; } = new("--understanding-samples") { Description = "Answers per prompt and attribute (default the run's samples per prompt)" };

    // An answer is a word or a number: a few tokens are plenty.
    private const int AnswerTokens = 32;

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Mode, Model, BaseUrl, Images, Samples }) command.Options.Add(option);
    }

    /// <summary>What to ask and whom, settled before anything is generated; no endpoint: the audited model itself, in-process.</summary>
    public sealed record Plan(ProbeMode Mode, string Model, string? Endpoint);

    /// <summary>Checks the options before anything is generated, so a mistake costs no generation; returns the plan, or null
    /// when no probe was asked for. <paramref name="model"/> and <paramref name="baseUrl"/> are the audit's, the defaults
    /// for a unified model behind one OpenAI-compatible API (provider openai-images).</summary>
    public Plan? Check(ParseResult parse, Suite suite, string provider, string? model, string? baseUrl)
    {
        var mode = parse.GetValue(Mode);
        if (mode is null)
        {
            if (parse.GetValue(Model) is not null || parse.GetValue(BaseUrl) is not null || parse.GetValue(Images) is not null || parse.GetValue(Samples) is not null)
                throw new FairscopeException("the --understanding-* options need --understanding ask|choose");
            return null;
        }
        if (suite.Modality != Suite.Image) throw new FairscopeException($"--understanding probes image suites; suite '{suite.Name}' is for text models");
        var parsed = mode switch { "ask" => ProbeMode.Ask, "choose" => ProbeMode.Choose, _ => throw new FairscopeException($"--understanding '{mode}' must be ask or choose") };
        if (parsed == ProbeMode.Ask && parse.GetValue(Images) is not null) throw new FairscopeException("--understanding-images is for choose mode; ask mode shows a blank image");
        if (parse.GetValue(Samples) is < 1) throw new FairscopeException($"--understanding-samples {parse.GetValue(Samples)} must be at least 1");
        if (parsed == ProbeMode.Choose && suite.Prompts.All(p => p.Question is null))
            throw new FairscopeException($"--understanding choose asks each template's 'question', and suite '{suite.Name}' has none (docs/suites.md)");
        if (parse.GetValue(Images) is { } manifest && !File.Exists(manifest)) throw new FairscopeException($"--understanding-images {manifest} does not exist");
        if (provider == ImageProviderOptions.BuiltinUnified)
        {
            if (parse.GetValue(Model) is not null || parse.GetValue(BaseUrl) is not null)
                throw new FairscopeException($"--provider {provider} answers the understanding questions itself: drop --understanding-model and --understanding-base-url");
            return new Plan(parsed, model ?? provider, null);
        }
        var sameApi = provider == ImageProviderOptions.OpenAIImages;
        var chatModel = parse.GetValue(Model) ?? (sameApi ? model : null)
            ?? throw new FairscopeException($"--understanding needs --understanding-model: the chat model to ask (--provider {provider} serves no chat model)");
        var endpoint = parse.GetValue(BaseUrl) ?? (sameApi ? baseUrl ?? OpenAIEndpoint.DefaultBaseUrl : null)
            ?? throw new FairscopeException($"--understanding needs --understanding-base-url: the chat endpoint to ask (--provider {provider} serves no chat API)");
        OpenAIEndpoint.ParseBaseUrl(endpoint);
        return new Plan(parsed, chatModel, endpoint);
    }

    /// <summary>The probe to run after the generation run's analysis; <paramref name="inProcess"/> is the audited model's own chat
    /// side when the plan has no endpoint.</summary>
    public Func<AnnotatedRun, AuditResult, Task<UnderstandingResult>> Create(ParseResult parse, Plan plan, Suite suite, RunInfo run,
        IReadOnlyList<IAnnotator> annotators, string apiKeyVariable, RetryOptions retry, double temperature,
        ImageStore images, IRunStore store, Bootstrap bootstrap, int concurrency, IProgress<RunProgress> progress, CancellationToken cancellationToken,
        Func<Microsoft.Extensions.AI.IChatClient>? inProcess = null)
    {
        var (mode, chatModel, endpoint) = plan;
        var options = new GenerationOptions(temperature, AnswerTokens);
        return async (annotated, generation) =>
        {
            var pool = mode == ProbeMode.Ask ? null
                : parse.GetValue(Images) is { } manifest ? ImagePool.FromManifest(manifest, suite, images)
                : ImagePool.FromRun(annotated.Samples, annotated.Annotations, suite, annotators);
            var questions = UnderstandingSuite.Build(suite, mode, pool);
            var parameters = new UnderstandingAudit.Parameters(mode, pool?.Source ?? "blank image", options);
            var spec = new RunSpec(UnderstandingAudit.RunName(run.Spec.Name), suite.Name, suite.SourceText, "understanding", chatModel,
                endpoint is null ? null : OpenAIEndpoint.ParseBaseUrl(endpoint).ToString(), parse.GetValue(Samples) ?? run.Spec.SamplesPerPrompt, run.Spec.Seed, parameters.ToJson());
            var client = endpoint is null ? inProcess!() : OpenAIEndpoint.CreateChatClient(endpoint, chatModel, apiKeyVariable, retry);
            using var probe = new UnderstandingProbe(client, chatModel, mode, questions, pool, images, options);
            return await new UnderstandingAudit(store, bootstrap, concurrency).RunAsync(spec, generation, questions, probe, progress, cancellationToken);
        };
    }

    /// <summary>For <c>fairscope report</c>: re-analyses a stored understanding run beside <paramref name="run"/>, asking nothing; null when there is none.</summary>
    public static async Task<Func<AnnotatedRun, AuditResult, Task<UnderstandingResult>>?> StoredAsync(IRunStore store, Suite suite, RunInfo run, Bootstrap bootstrap,
        IProgress<RunProgress> progress, CancellationToken cancellationToken)
    {
        if (await store.FindRunAsync(UnderstandingAudit.RunName(run.Spec.Name), cancellationToken) is not { } stored) return null;
        var parameters = UnderstandingAudit.Parameters.Read(stored.Spec.Parameters);
        // The attributes asked about are those the stored questions name.
        var asked = new HashSet<string>();
        await foreach (var sample in store.ReadSamplesAsync(stored.Id, cancellationToken)) asked.Add(sample.PromptId[..Math.Max(0, sample.PromptId.IndexOf('/'))]);
        var questions = UnderstandingSuite.Build(suite, parameters.Mode, null, asked);
        return (_, generation) => new UnderstandingAudit(store, bootstrap, Environment.ProcessorCount).RunAsync(stored.Spec, generation, questions, null, progress, cancellationToken);
    }
}
