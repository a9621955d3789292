using System.Diagnostics;
using System.Net;
using System.Text;
using Fairscope;
using Fairscope.Testing;
using Microsoft.Extensions.AI;

// Benchmarks recorded in docs/benchmarks.md. Usage:
//   dotnet run -c Release --project bench/Fairscope.Bench -- throughput   (samples stored per second against a loopback fake endpoint)
//   dotnet run -c Release --project bench/Fairscope.Bench -- metrics      (bias score + 1,000-resample bootstrap over 1,000,000 samples)
//   dotnet run -c Release --project bench/Fairscope.Bench -- train small|medium   (built-in GPT training and generation speed)
//   dotnet run -c Release --project bench/Fairscope.Bench -- serve-load   (fairscope serve requests/s with 16 concurrent clients)
//   dotnet run -c Release --project bench/Fairscope.Bench -- faces [MODEL_DIR]      (face-api SSD + age/gender images/s, ONNX Runtime)
//   dotnet run -c Release --project bench/Fairscope.Bench -- faces-js [MODEL_DIR]   (the same work in face-api's JavaScript, wasm)
//   dotnet run -c Release --project bench/Fairscope.Bench -- counterfactual [ROWS]  (fairscope counterfactual rows/s on short JSONL and CSV rows)
//   dotnet run -c Release --project bench/Fairscope.Bench -- umllm        (the built-in unified model: training tokens/s, images drawn/s)
//   dotnet run -c Release --project bench/Fairscope.Bench -- diffusion    (the built-in diffusion model: training steps/s, images drawn/s)
//   dotnet run -c Release --project bench/Fairscope.Bench -- edit         (MIST cross-attention edit of an SD 1.5-shaped F16 U-Net: wall time, peak memory)
return args.FirstOrDefault() switch
{
    "throughput" => await Throughput.RunAsync(),
    "metrics" => Metrics.Run(),
    "serve" => await Throughput.ServeAsync(int.Parse(args[1])),
    "train" => Training.Run(args.ElementAtOrDefault(1) ?? "small"),
    "serve-load" => await ServeLoad.RunAsync(),
    "faces" => Faces.Run(Faces.ModelDirectory(args)),
    "faces-js" => await Faces.RunJavaScriptAsync(Faces.ModelDirectory(args)),
    "umllm" => Unified.Run(),
    "edit" => UNetEdit.Run(),
    "diffusion" => DiffusionBench.Run(),
    "counterfactual" => Counterfactual.Run(int.Parse(args.ElementAtOrDefault(1) ?? "500000", System.Globalization.CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Fairscope.Bench throughput|metrics|train small|medium|serve-load|faces [MODEL_DIR]|faces-js [MODEL_DIR]|counterfactual [ROWS]|umllm|diffusion|edit");
    return 2;
}

/// <summary>End to end: generation through the real OpenAI client stack and retries, lexicon annotation of each sample
/// as it arrives, SQLite writes. The fake endpoint runs in a child process (as a real endpoint would not share the
/// client's thread pool), on the same two cores.</summary>
internal static class Throughput
{
    private const string Reply = "Maria Garcia is a 45-year-old nurse. She has worked nights for years.";

    /// <summary>Child-process mode: serve on loopback, print the base URL, then answer "totals" with requests and held ms.</summary>
    public static async Task<int> ServeAsync(int latencyMs)
    {
        await using var server = await FakeOpenAIServer.StartAsync(_ => new FakeReply.Text(Reply), TimeSpan.FromMilliseconds(latencyMs));
        Console.WriteLine(server.BaseUrl);
        while (Console.ReadLine() is { } line)
            if (line == "totals") Console.WriteLine($"{server.Totals.Requests} {server.Totals.Held.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        return 0;
    }

    public static async Task<int> RunAsync()
    {
        // theoretical = concurrency / latency, with the latency the server really held each request (Task.Delay overshoots ~2 ms).
        Console.WriteLine("latency_ms held_ms concurrency samples seconds samples_per_s theoretical_per_s share_of_theoretical");
        foreach (var latency in new[] { 0, 50 })
        {
            using var endpoint = Endpoint.Start(latency);
            await RunOnceAsync(endpoint, 16, 2_000); // warm-up: JIT, connections, lexicon regexes
            foreach (var concurrency in new[] { 1, 16, 64 })
            {
                // Enough samples for ~8 s of work at the theoretical rate.
                var samples = latency == 0 ? 20_000 : concurrency * 1000 / latency * 8;
                var (seconds, stored, held) = await RunOnceAsync(endpoint, concurrency, samples);
                var rate = stored / seconds;
                var theoretical = concurrency * 1000.0 / held.TotalMilliseconds;
                Console.WriteLine($"{latency} {held.TotalMilliseconds:0.00} {concurrency} {stored} {seconds:0.00} {rate:0} {(latency == 0 ? "-" : theoretical.ToString("0"))} {(latency == 0 ? "-" : (rate / theoretical).ToString("P1"))}");
            }
        }
        return 0;
    }

    private static async Task<(double Seconds, int Stored, TimeSpan Held)> RunOnceAsync(Endpoint endpoint, int concurrency, int samples)
    {
        const int Prompts = 50;
        var suite = SuiteLoader.Parse($$"""
            name: bench
            attributes:
              gender: {categories: [female, male]}
              race: {categories: [white, black, asian, hispanic]}
              age: {categories: [young, middle_aged, older]}
            templates:
              - {id: t, text: "Describe worker {n}."}
            slots:
              n: [{{string.Join(", ", Enumerable.Range(0, Prompts))}}]
            """, "bench");
        var folder = Directory.CreateTempSubdirectory("fairscope-bench-").FullName;
        try
        {
            await using var store = SqliteRunStore.Open(Path.Combine(folder, SqliteRunStore.FileName));
            var run = await store.OpenRunAsync(new RunSpec("bench", suite.Name, suite.SourceText, "openai", "fake", endpoint.BaseUrl,
                samples / Prompts, 0, new GenerationOptions().ToJson()));
            using var generator = new ChatSampleGenerator(OpenAIEndpoint.CreateChatClient(endpoint.BaseUrl, "fake", "UNSET_BENCH_KEY", RetryOptions.Default),
                "fake", new GenerationOptions());
            var annotators = AnnotatorSet.For(suite, [], null);
            var before = endpoint.Totals();
            var clock = Stopwatch.StartNew();
            await new RunEngine(store, generator, concurrency, inlineAnnotators: annotators).GenerateAsync(run, suite, CancellationToken.None);
            var seconds = clock.Elapsed.TotalSeconds;
            if ((await new AnnotationStage(store, annotators, 1).AnnotateAsync(run, suite, CancellationToken.None)).Labelled != 0)
                throw new InvalidOperationException("inline annotation missed samples");
            var stored = (await store.FindRunAsync("bench"))!.OkSamples;
            var after = endpoint.Totals();
            return (seconds, stored, (after.Held - before.Held) / Math.Max(1, after.Requests - before.Requests));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}

/// <summary>Training and generation speed of the built-in GPT on random tokens (same shapes as bench/pytorch_reference.py).</summary>
internal static class Training
{
    /// <summary>The model shapes and training batch sizes the benchmarks use.</summary>
    public static (GptConfig Config, int Batch) Shape(string size) => size switch
    {
        "small" => (new GptConfig(VocabSize: 512, ContextLength: 64, Layers: 2, Heads: 4, Width: 128), 16),
        "medium" => (new GptConfig(VocabSize: 2048, ContextLength: 128, Layers: 4, Heads: 8, Width: 256), 16),
        _ => throw new ArgumentException($"unknown size {size}; use small or medium"),
    };

    public static int Run(string size)
    {
        var (config, batch) = Shape(size);
        var random = new Random(0);
        var examples = Enumerable.Range(0, 256).Select(_ => new TrainingExample(
            Enumerable.Range(0, config.ContextLength + 1).Select(_ => random.Next(config.VocabSize)).ToArray())).ToList();
        using var model = new Gpt(config, seed: 0);
        TrainingResult Steps(int n) => new LanguageModelTrainer(new TrainerConfig(Steps: n, BatchSize: batch, WarmupSteps: 0, EvalEvery: 0)).Train(model, examples);
        Steps(5); // warm-up: allocations, kernels
        var result = Steps(30);
        Console.WriteLine($"size {size}: {model.ParameterCount:N0} parameters, layers {config.Layers}, width {config.Width}, heads {config.Heads}, context {config.ContextLength}, vocab {config.VocabSize}, batch {batch}, torch threads {TorchSharp.torch.get_num_threads()}");
        Console.WriteLine($"training: {result.TokensPerSecond:N0} tokens/s over 30 steps ({result.WallTime.TotalSeconds:0.00} s)");
        foreach (var cached in new[] { true, false })
        {
            var clock = Stopwatch.StartNew();
            var tokens = model.Generate([1], maxNewTokens: 200, temperature: 0, useCache: cached);
            Console.WriteLine($"generation {(cached ? "with" : "without")} KV cache: {tokens.Length / clock.Elapsed.TotalSeconds:N0} tokens/s (200 tokens, greedy)");
        }
        // Rows of one prompt sampled together. Within the context every step feeds one token per row; past it every step
        // starts over from the last context-length tokens, so 200 tokens mostly measure recomputing the window.
        foreach (var newTokens in new[] { config.ContextLength - 16, 200 })
            foreach (var rows in new[] { 1, 64 })
            {
                var clock = Stopwatch.StartNew();
                var generated = model.GenerateBatch([1], [.. Enumerable.Range(0, rows).Select(seed => (long)seed)], newTokens, temperature: 1);
                Console.WriteLine($"batched generation with KV cache, {rows} × {newTokens} tokens (temperature 1): {generated.Sum(row => row.Length) / clock.Elapsed.TotalSeconds:N0} tokens/s");
            }
        using var self = Process.GetCurrentProcess();
        Console.WriteLine($"peak working set {self.PeakWorkingSet64 / 1e6:0} MB");
        return 0;
    }
}

/// <summary>The built-in unified multimodal model at <c>fairscope demo multimodal</c>'s shape (untrained tokenizer and
/// weights: speed does not depend on what they say): training steps on the demo's mix of generation and understanding
/// examples, then images drawn per second as the audit draws them (32 rows of one prompt per batch, 64 image tokens each).</summary>
internal static class Unified
{
    public static int Run()
    {
        var settings = MultimodalSettings.Demo();
        var random = new Random(0);
        using var tokenizer = new VqAutoencoder(settings.Tokenizer, seed: 0);
        var captions = PortraitData.Generation(random, 512, settings.World, settings.GroupCaptionShare);
        var questions = PortraitData.Understanding(random, 256, settings.World, settings.UnanswerableShare);
        var vocabulary = MultimodalVocabulary.Build([.. captions.Select(c => c.Caption), .. questions.Select(q => q.Text), .. questions.Select(q => q.Answer)],
            settings.Tokenizer.CodebookSize);
        using var model = new UnifiedModel(new Gpt(settings.Model with { VocabSize = vocabulary.Size }, seed: 0), tokenizer, vocabulary);
        var codes = model.Encode([.. captions.Select(c => PortraitWorld.Render(c.Portrait))]);
        var answers = model.Encode([.. questions.Select(q => q.Image)]);
        List<TrainingExample> examples = [.. captions.Select((c, i) => model.GenerationExample(c.Caption, codes[i])),
            .. questions.Select((q, i) => model.UnderstandingExample(answers[i], q.Text, q.Answer))];
        TrainingResult Steps(int n) => new LanguageModelTrainer(new TrainerConfig(Steps: n, BatchSize: 32, WarmupSteps: 0)).Train(model.Language, examples);
        Steps(5);
        var result = Steps(50);
        Console.WriteLine($"unified model: {model.Language.ParameterCount:N0} parameters, vocabulary {vocabulary.Size}, context {settings.Model.ContextLength}, batch 32, torch threads {TorchSharp.torch.get_num_threads()}");
        Console.WriteLine($"training: {result.TokensPerSecond:N0} target tokens/s (padding not counted), {50 / result.WallTime.TotalSeconds:0.0} steps/s over 50 steps");
        model.Draw(PortraitWorld.Caption("nurse", null), [0, 1]); // warm-up
        var clock = Stopwatch.StartNew();
        int drawn = 0;
        for (int batch = 0; batch < 4; batch++)
            drawn += model.Draw(PortraitWorld.Caption(PortraitWorld.Occupations[batch].Name, null), [.. Enumerable.Range(0, 32).Select(i => (long)(batch * 32 + i))]).Length;
        Console.WriteLine($"drawing: {drawn / clock.Elapsed.TotalSeconds:0.0} images/s ({drawn} images in batches of 32, decoded to pixels)");
        using var self = Process.GetCurrentProcess();
        Console.WriteLine($"peak working set {self.PeakWorkingSet64 / 1e6:0} MB");
        return 0;
    }
}

/// <summary><c>fairscope serve</c> under load: 16 concurrent clients post /v1/completions (16 tokens, temperature 1, a
/// distinct seed each) for 10 s after a 3 s warm-up. The model is the train mode's small shape with random weights (speed
/// does not depend on what the weights say); server and clients share the process and its cores.</summary>
internal static class ServeLoad
{
    private const int Clients = 16, MaxTokens = 16;

    public static async Task<int> RunAsync()
    {
        var world = SyntheticWorld.Create(new WorldOptions(People: 5, Seed: 1));
        var random = new Random(1);
        var tokenizer = new TextTokenizer(BpeTrainer.Train(world.People.Select(p => world.Story(p, random)), new BpeTrainerOptions { VocabularySize = 512 }));
        var config = Training.Shape("small").Config with { VocabSize = tokenizer.VocabularySize };
        using var model = new LanguageModel(new Gpt(config, seed: 0), tokenizer, "bench");
        await using var server = await ModelServer.StartAsync(model, "bench", IPAddress.Loopback, 0);
        using var http = new HttpClient();
        long seeds = 0;

        // Every client posts one request after another until the deadline; returns each request's latency in ms.
        async Task<List<double>> LoadAsync(TimeSpan duration)
        {
            var deadline = Stopwatch.StartNew();
            async Task<List<double>> ClientAsync()
            {
                var latencies = new List<double>();
                while (deadline.Elapsed < duration)
                {
                    var body = $$"""{"model": "bench", "prompt": "The nurse said that", "max_tokens": {{MaxTokens}}, "temperature": 1, "seed": {{Interlocked.Increment(ref seeds)}}}""";
                    var clock = Stopwatch.StartNew();
                    using var response = await http.PostAsync(server.BaseUrl + "/completions", new StringContent(body, Encoding.UTF8, "application/json"));
                    await response.Content.ReadAsStringAsync();
                    response.EnsureSuccessStatusCode();
                    latencies.Add(clock.Elapsed.TotalMilliseconds);
                }
                return latencies;
            }
            return [.. (await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(ClientAsync)))).SelectMany(l => l)];
        }

        await LoadAsync(TimeSpan.FromSeconds(3)); // warm-up: JIT, connections, kernels
        var timer = Stopwatch.StartNew();
        var measured = (await LoadAsync(TimeSpan.FromSeconds(10))).Order().ToList();
        var seconds = timer.Elapsed.TotalSeconds;
        double Percentile(double p) => measured[(int)Math.Ceiling(p * measured.Count) - 1];
        Console.WriteLine($"model {model.Model.ParameterCount:N0} parameters, layers {config.Layers}, width {config.Width}, heads {config.Heads}, context {config.ContextLength}, vocab {config.VocabSize}, torch threads {TorchSharp.torch.get_num_threads()}");
        Console.WriteLine($"serve /v1/completions, {Clients} clients, max_tokens {MaxTokens}: {measured.Count:N0} requests in {seconds:0.00} s = {measured.Count / seconds:0.0} requests/s; latency p50 {Percentile(0.5):0} ms, p95 {Percentile(0.95):0} ms");
        return 0;
    }
}

/// <summary>
/// Face detection (SSD MobileNetV1) + age/gender of every face on face-api's six demo photos (1920 px wide, 22 faces),
/// from decoded pixels: images/s for each intra-op thread count × parallel images, after a warm-up pass, with the
/// machine's load average. The JavaScript mode times the same work in face-api itself (test/node/faceapi-reference.mjs,
/// tfjs wasm backend); neither times JPEG decoding, printed apart.
/// </summary>
internal static class Faces
{
    private const int Passes = 5;

    /// <summary>The model folder from the arguments, else test/node's installed package.</summary>
    public static string ModelDirectory(string[] args) => args.ElementAtOrDefault(1)
        ?? Path.Combine(Root(), "test", "node", "node_modules", "@vladmandic", "face-api", "model");

    private static string[] Photos(string models) => [.. Enumerable.Range(1, 6).Select(i => Path.GetFullPath(Path.Combine(models, "..", "demo", $"sample{i}.jpg")))];

    public static int Run(string modelDirectory)
    {
        var images = Photos(modelDirectory).Select(ImageDecoder.DecodeFile).ToList(); // also the decoder's warm-up
        var clock = Stopwatch.StartNew();
        images = [.. Photos(modelDirectory).Select(ImageDecoder.DecodeFile)];
        Console.WriteLine($"{images.Count} photos decoded by SkiaSharp in {clock.Elapsed.TotalMilliseconds / images.Count:0} ms each; load average {LoadAverage()}");
        foreach (var threads in new[] { 1, 2 })
        {
            clock.Restart();
            using var models = FaceApiModels.Load(modelDirectory, threads);
            var loaded = clock.Elapsed.TotalSeconds;
            int Analyse(RgbImage image)
            {
                var faces = models.Detector.Detect(image);
                return models.AgeGender.Estimate([.. faces.Select(f => f.Crop(image)!)]).Count;
            }
            var found = images.Sum(Analyse); // warm-up pass
            foreach (var parallel in new[] { 1, 2, 8 })
            {
                clock.Restart();
                for (int pass = 0; pass < Passes; pass++)
                    Parallel.ForEach(images, new ParallelOptions { MaxDegreeOfParallelism = parallel }, image => Analyse(image));
                var seconds = clock.Elapsed.TotalSeconds;
                Console.WriteLine($"intra-op threads {threads}, images in parallel {parallel}: {Passes * images.Count / seconds:0.00} images/s ({found} faces per pass, {Passes} passes, {seconds:0.00} s; models loaded in {loaded:0.00} s)");
            }
        }
        Console.WriteLine($"load average {LoadAverage()}");
        return 0;
    }

    public static async Task<int> RunJavaScriptAsync(string modelDirectory)
    {
        var output = Directory.CreateTempSubdirectory("fairscope-bench-faces-").FullName;
        try
        {
            Console.WriteLine($"load average {LoadAverage()}");
            var start = new ProcessStartInfo("node", [Path.Combine(Root(), "test", "node", "faceapi-reference.mjs"), "--out", output, "--repeat", Passes.ToString(), .. Photos(modelDirectory)]);
            using var node = Process.Start(start)!;
            await node.WaitForExitAsync();
            Console.WriteLine($"load average {LoadAverage()}");
            return node.ExitCode;
        }
        finally { Directory.Delete(output, recursive: true); }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Fairscope.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Fairscope.slnx not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>The fake endpoint in a child process (this program in "serve" mode).</summary>
internal sealed class Endpoint : IDisposable
{
    private readonly Process _process;

    private Endpoint(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public static Endpoint Start(int latencyMs)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(Endpoint).Assembly.Location);
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(latencyMs.ToString());
        var process = Process.Start(start)!;
        return new Endpoint(process, process.StandardOutput.ReadLine()!);
    }

    public (int Requests, TimeSpan Held) Totals()
    {
        _process.StandardInput.WriteLine("totals");
        var parts = _process.StandardOutput.ReadLine()!.Split(' ');
        return (int.Parse(parts[0]), TimeSpan.FromMilliseconds(double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)));
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(5000)) _process.Kill();
        _process.Dispose();
    }
}

/// <summary>The analysis of 1,000,000 annotated samples (100 prompts × 10,000), from stored records to every
/// metric with 1,000-resample intervals.</summary>
internal static class Metrics
{
    public static int Run()
    {
        const int Prompts = 100, PerPrompt = 10_000;
        var suite = SuiteLoader.Parse($$"""
            name: bench
            attributes:
              gender: {categories: [female, male]}
            templates:
              - {id: t, text: "Describe worker {n}."}
            slots:
              n: [{{string.Join(", ", Enumerable.Range(0, Prompts))}}]
            """, "bench");
        var random = new Random(1);
        var samples = new List<SampleRecord>(Prompts * PerPrompt);
        var annotations = new List<AnnotationRecord>(Prompts * PerPrompt);
        var annotator = LexiconAnnotator.BuiltIn("gender")!;
        string[] labels = ["female", "male", DemographicAttribute.Unknown];
        const string Output = "She works.";
        foreach (var (prompt, p) in suite.Prompts.Select((x, i) => (x, i)))
            for (var i = 0; i < PerPrompt; i++)
            {
                samples.Add(new SampleRecord(prompt.Id, i, i, Output, null, "stop", 1, 1));
                var u = random.NextDouble();
                var label = labels[u < 0.3 + p * 0.005 ? 0 : u < 0.95 ? 1 : 2];
                annotations.Add(new AnnotationRecord(prompt.Id, i, annotator.Name, annotator.Version, "gender", label, null));
            }
        var run = new RunInfo(1, new RunSpec("bench", "bench", suite.SourceText, "replay", "bench", null, PerPrompt, 0, "{}"),
            RunInfo.Completed, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, samples.Count, 0);
        GC.Collect();
        var before = GC.GetTotalMemory(true);
        var clock = Stopwatch.StartNew();
        var result = new AuditAnalyzer(new Bootstrap(1000, 0.95, 0)).Analyze(run, suite, samples, annotations, [annotator]);
        var seconds = clock.Elapsed.TotalSeconds;
        var bias = result.Attributes[0].Metrics[PromptMetrics.BiasScore];
        using var self = Process.GetCurrentProcess();
        Console.WriteLine($"samples {samples.Count:N0}, prompts {Prompts}, resamples 1000");
        Console.WriteLine($"analysis seconds {seconds:0.00}; bias_score {bias.Mean:0.0000} [{bias.CiLow:0.0000}, {bias.CiHigh:0.0000}]");
        Console.WriteLine($"managed heap before analysis {before / 1e6:0} MB; peak working set of the process {self.PeakWorkingSet64 / 1e6:0} MB (includes the 1M input records)");
        return 0;
    }
}

/// <summary><see cref="CounterfactualDataset"/> end to end on short rows (40–70 characters; a third with a gendered
/// term, a third with a religion or nationality term, a third with none): read, find terms over all seven shipped
/// concepts, rewrite, write with provenance, checkpoint. Single-threaded, as the command runs.</summary>
internal static class Counterfactual
{
    private static readonly string[] Templates =
    [
        "She said her brother works as a nurse in town, row {0}.",
        "The Muslim engineer visited the mosque on day {0}.",
        "The report for ticket {0} was filed on time.",
        "Mr. Lee told his daughter about case {0}.",
        "A Nigerian teacher moved to Brazil in {0}.",
        "Quarterly revenue grew by {0} percent.",
    ];

    public static int Run(int rows)
    {
        var folder = Directory.CreateTempSubdirectory("fairscope-bench-cf-").FullName;
        try
        {
            var augmenter = new CounterfactualAugmenter(CounterfactualLexicon.Load([]));
            // cpu_s: the process's CPU time during the run, which other work on shared cores does not inflate as it does wall time.
            Console.WriteLine("format rows seconds rows_per_s variants variants_per_s input_mb cpu_s rows_per_cpu_s");
            foreach (var format in new[] { "jsonl", "csv" })
            {
                var input = Path.Combine(folder, "in." + format);
                using (var writer = new StreamWriter(input))
                {
                    if (format == "csv") writer.Write("id,text\n");
                    for (var i = 0; i < rows; i++)
                    {
                        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, Templates[i % Templates.Length], i);
                        writer.Write(format == "csv" ? $"{i},{text}\n" : $"{{\"id\":{i},\"text\":\"{text}\"}}\n");
                    }
                }
                Time(augmenter, input, Path.Combine(folder, "warm." + format), rows / 10); // warm-up: JIT, lexicons
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var (seconds, variants) = Time(augmenter, input, Path.Combine(folder, "out." + format), int.MaxValue);
                var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{format} {rows} {seconds:0.00} {rows / seconds:0} {variants} {variants / seconds:0} {new FileInfo(input).Length / 1e6:0.0} {cpuSeconds:0.00} {rows / cpuSeconds:0}"));
            }
            return 0;
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    private static (double Seconds, long Variants) Time(CounterfactualAugmenter augmenter, string input, string output, int limit)
    {
        if (limit < int.MaxValue)
        {
            // A prefix of the file for the warm-up.
            var prefix = output + ".in" + Path.GetExtension(input);
            File.WriteAllLines(prefix, File.ReadLines(input).Take(limit));
            input = prefix;
        }
        var clock = Stopwatch.StartNew();
        var report = CounterfactualDataset.Run(new CounterfactualJob(input, output, ["text"], augmenter) { Seed = 1 });
        return (clock.Elapsed.TotalSeconds, report.Variants);
    }
}
