using System.CommandLine;

namespace Fairscope.Cli;

/// <summary><c>fairscope audit</c>: generate (or resume), annotate, analyse, report, gate.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var suite = new Option<string>("--suite") { Description = "Built-in suite name (see 'fairscope suites') or a suite YAML file", Required = true };
        var provider = new Option<string>("--provider") { Description = "openai (any OpenAI-compatible endpoint), builtin (a GPT model directory run in-process), replay (a JSONL/CSV file of outputs); images: openai-images (an OpenAI-compatible images API), a1111 (Stable Diffusion WebUI / Forge), replay-images (image files), builtin-umllm (the built-in unified multimodal model, in-process) or builtin-diffusion (the built-in diffusion model, or an edited copy, in-process)", DefaultValueFactory = _ => "openai" };
        var baseUrl = new Option<string?>("--base-url") { Description = $"Endpoint base URL, e.g. http://127.0.0.1:11434/v1 for Ollama (default {OpenAIEndpoint.DefaultBaseUrl}; a1111: {A1111ImageGenerator.DefaultBaseUrl})" };
        var model = new Option<string?>("--model") { Description = "Model name at the endpoint; builtin: the model directory (config.json, model.safetensors, vocab.json + merges.txt) or builtin:teacher / builtin:student; builtin-umllm: builtin:umllm or a unified model directory; builtin-diffusion: builtin:diffusion or a diffusion model directory; replay, replay-images: a label (default the file name); a1111: the checkpoint to load (default the server's)" };
        var apiKeyEnv = new Option<string>("--api-key-env") { Description = "Environment variable holding the API key; optional for local servers", DefaultValueFactory = _ => OpenAIEndpoint.DefaultApiKeyVariable };
        var replay = new Option<string?>("--replay") { Description = "With --provider replay: the JSONL or CSV file of outputs keyed by prompt_id" };
        var samples = new Option<int?>("--samples") { Description = "Samples per prompt (default: the stored run's, else 20; replay: the file's highest sample_index + 1)" };
        var output = new Option<string?>("--out") { Description = "Run folder for the store and reports (default runs/SUITE-MODEL); rerun with the same folder to resume" };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight at once", DefaultValueFactory = _ => 8 };
        var seed = new Option<long>("--seed") { Description = "Run seed: per-sample seeds and bootstrap resamples derive from it", DefaultValueFactory = _ => 0 };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature", DefaultValueFactory = _ => 1.0 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Most tokens per output", DefaultValueFactory = _ => 256 };
        var systemPrompt = new Option<string?>("--system-prompt") { Description = "A system message sent before every prompt" };
        var retries = new Option<int>("--max-retries") { Description = "Retries per request on 429, 5xx, timeouts and dropped connections", DefaultValueFactory = _ => RetryOptions.Default.MaxRetries };
        var timeout = new Option<double>("--timeout") { Description = "Seconds per request attempt", DefaultValueFactory = _ => RetryOptions.Default.RequestTimeout.TotalSeconds };
        var analysis = new AnalysisOptions();
        var images = new ImageProviderOptions();
        var understanding = new UnderstandingOptions();
        var interventions = new InterventionOptions();

        var command = new Command("audit", "Sample a model on a suite, label perceived demographics, and report bias metrics with confidence intervals")
        {
            suite, provider, baseUrl, model, apiKeyEnv, replay, samples, output, concurrency, seed, temperature, maxTokens, systemPrompt, retries, timeout,
        };
        analysis.AddTo(command);
        images.AddTo(command);
        understanding.AddTo(command);
        interventions.AddTo(command);
        command.SetAction(CommandRunner.Guard(async (parse, ct) =>
        {
            var loaded = SuiteLoader.Load(parse.GetValue(suite)!);
            var gates = analysis.Gates(parse, loaded);
            var n = parse.GetValue(concurrency);
            if (n is < 1 or > 1024) throw new FairscopeException($"--concurrency {n} must be between 1 and 1024");
            if (parse.GetValue(timeout) is var t && !(t > 0)) throw new FairscopeException($"--timeout {t} must be a positive number of seconds");
            var retry = RetryOptions.Default with { MaxRetries = Math.Max(0, parse.GetValue(retries)), RequestTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)) };
            var generation = new GenerationOptions(parse.GetValue(temperature), parse.GetValue(maxTokens), parse.GetValue(systemPrompt));

            var kind = parse.GetValue(provider)!;
            images.CheckApplicable(parse, kind);
            if (ImageProviderOptions.IsImageProvider(kind) != (loaded.Modality == Suite.Image))
                throw new FairscopeException(loaded.Modality == Suite.Image
                    ? $"suite '{loaded.Name}' asks for images: use --provider openai-images, a1111, replay-images, builtin-umllm or builtin-diffusion"
                    : $"--provider {kind} makes images, but suite '{loaded.Name}' is for text models (an image suite has 'modality: image', e.g. occupation-portraits)");
            var probe = understanding.Check(parse, loaded, kind, parse.GetValue(model), parse.GetValue(baseUrl));
            var fair = interventions.Check(parse, loaded, kind, images);
            var baseline = interventions.LoadBaseline(parse, loaded, parse.GetValue(seed));
            string Folder(string modelName) => parse.GetValue(output) ?? Path.Combine("runs", SuiteLoader.Slugify($"{loaded.Name}-{modelName}"));
            ImageStore? imageStore = null;
            Func<Microsoft.Extensions.AI.IChatClient>? inProcessChat = null;
            PortraitClassifierAnnotator? world = null;
            ISampleGenerator generator;
            string modelName;
            string? endpoint = null;
            int? naturalSamples = null;
            string parameters;
            switch (kind)
            {
                case "openai":
                    modelName = parse.GetValue(model) ?? throw new FairscopeException("--provider openai needs --model (the model name the endpoint serves)");
                    endpoint = parse.GetValue(baseUrl) ?? OpenAIEndpoint.DefaultBaseUrl;
                    generator = new ChatSampleGenerator(InterventionOptions.Wrap(OpenAIEndpoint.CreateChatClient(endpoint, modelName, parse.GetValue(apiKeyEnv)!, retry), fair),
                        modelName, generation);
                    parameters = generation.ToJson();
                    break;
                case "builtin":
                    var directory = ModelArgument.Resolve(parse.GetValue(model)
                        ?? throw new FairscopeException("--provider builtin needs --model DIRECTORY (a GPT-2-style model directory) or builtin:NAME"), ct);
                    generator = new BuiltinSampleGenerator(LanguageModel.Load(directory), generation);
                    modelName = Path.GetFullPath(directory);
                    var withWeights = System.Text.Json.Nodes.JsonNode.Parse(generation.ToJson())!.AsObject();
                    withWeights["model_sha256"] = ModelArgument.HashOf(directory, ModelArgument.LanguageModelFiles);
                    parameters = withWeights.ToJsonString();
                    break;
                case "replay":
                    var file = parse.GetValue(replay) ?? throw new FairscopeException("--provider replay needs --replay FILE (JSONL or CSV of outputs keyed by prompt_id)");
                    var replayed = ReplaySampleGenerator.Load(file, loaded);
                    naturalSamples = replayed.MaxSamplesPerPrompt;
                    parameters = System.Text.Json.JsonSerializer.Serialize(new { replay_sha256 = replayed.ContentHash });
                    modelName = parse.GetValue(model) ?? Path.GetFileNameWithoutExtension(file);
                    generator = replayed;
                    break;
                case var _ when ImageProviderOptions.IsImageProvider(kind):
                    var image = images.Create(parse, kind, loaded, parse.GetValue(model), parse.GetValue(baseUrl), parse.GetValue(apiKeyEnv)!, retry, Folder, fair,
                        parse.GetValue(temperature), ct);
                    (generator, modelName, endpoint, parameters, naturalSamples, imageStore) = (image.Generator, image.Model, image.Endpoint, image.Parameters, image.NaturalSamples, image.Images);
                    (inProcessChat, world) = (image.Chat, image.World);
                    break;
                default:
                    throw new FairscopeException($"unknown provider '{kind}'; use openai, builtin, replay, openai-images, a1111, replay-images, builtin-umllm or builtin-diffusion");
            }
            parameters = InterventionOptions.WithIdentity(parameters, fair);
            using var _ = generator;
            using var __ = world;
            var folder = Folder(modelName);
            using var chosen = analysis.Annotators(parse, loaded, AnalysisOptions.JudgeDefaultEndpoint(kind, endpoint), retry, imageStore, world);
            var annotators = chosen.List;
            AnalysisOptions.WarnUncovered(loaded, annotators);
            var runSeed = parse.GetValue(seed);

            await using var store = SqliteRunStore.Open(Path.Combine(folder, SqliteRunStore.FileName));
            // A run folder holds one audited run (and its understanding run): resume it whatever the folder is called now,
            // with its sample count unless told otherwise.
            var existing = await RunsCommand.AuditedRunAsync(store, ct);
            var perPrompt = parse.GetValue(samples) ?? existing?.Spec.SamplesPerPrompt ?? naturalSamples ?? 20;
            if (perPrompt < 1) throw new FairscopeException($"--samples {perPrompt} must be at least 1");
            var spec = new RunSpec(existing?.Spec.Name ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))),
                loaded.Name, loaded.SourceText, kind, modelName, endpoint is null ? null : OpenAIEndpoint.ParseBaseUrl(endpoint).ToString(),
                perPrompt, runSeed, parameters);
            var run = await store.OpenRunAsync(spec, ct);
            var planned = loaded.Prompts.Count * perPrompt;
            Console.WriteLine($"{(run.OkSamples > 0 ? "Resuming" : "Starting")} run '{spec.Name}': {loaded.Prompts.Count} prompts × {perPrompt} samples = {planned}; {Math.Min(run.OkSamples, planned)} already stored; model {modelName} via {kind}");

            var (ok, failed) = await ConsoleProgress.TrackAsync(async progress =>
            {
                try
                {
                    // Local annotators (lexicons, face models) label in the shadow of generation; a judge (remote) labels afterwards.
                    var inline = annotators.Where(a => !AnnotatorSet.IsRemote(a)).ToList();
                    return await new RunEngine(store, generator, n, progress, inline).GenerateAsync(run, loaded, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    await store.SetStatusAsync(run.Id, RunInfo.Interrupted, CancellationToken.None);
                    throw;
                }
            });
            await store.SetStatusAsync(run.Id, RunInfo.Completed, ct);
            run = (await store.FindRunAsync(spec.Name, ct))!;
            if (run.OkSamples == 0)
                throw new FairscopeException($"no sample succeeded ({run.FailedSamples} failed); see the error column of {Path.Combine(folder, SamplesCsvWriter.FileName)} after 'fairscope report {folder}', or rerun to retry");
            if (failed > 0) Console.Error.WriteLine($"fairscope: warning: {failed} samples failed this time (errors are stored); rerun the same command to retry them");

            var bootstrap = analysis.BootstrapFor(parse, runSeed);
            var reporter = new AuditReporter(store, annotators, bootstrap, AnalysisOptions.AnnotationConcurrency(parse, analysis, n));
            // Without --understanding, a stored understanding run is re-analysed, so the reports keep both halves.
            var report = await ConsoleProgress.TrackAsync(async progress => await reporter.ReportAsync(run, loaded, gates, folder, progress, ct, imageStore,
                probe is not null
                    ? understanding.Create(parse, probe, loaded, run, annotators, parse.GetValue(apiKeyEnv)!, retry, parse.GetValue(temperature), imageStore!,
                        store, bootstrap, n, progress, ct, inProcessChat)
                    : await UnderstandingOptions.StoredAsync(store, loaded, run, bootstrap, progress, ct), baseline));
            return Summary.Print(report, folder);
        }));
        return command;
    }
}
