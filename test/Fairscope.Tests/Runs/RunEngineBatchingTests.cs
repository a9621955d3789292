using System.Collections.Concurrent;

namespace Fairscope.Tests;

/// <summary><see cref="RunEngine"/> with a generator that prefers batches: each prompt's missing samples go out in
/// chunks of the batch size, each sample with its own seed, and a resume asks only for what is missing.</summary>
public sealed class RunEngineBatchingTests : IDisposable
{
    private const int Samples = 10, RunSeed = 7;
    private static readonly Suite Suite = SuiteLoader.Parse("""
        name: batching
        attributes:
          gender: {categories: [female, male]}
        prompts:
          - {id: a, text: First}
          - {id: b, text: Second}
        """, "batching.yaml");

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Output(string promptId, int index) => $"{promptId}#{index}:{SampleSeeds.For(RunSeed, promptId, index)}";

    /// <summary>Batches of 4; answers each sample with its prompt, index and seed, or throws for a batch it is told to fail.</summary>
    private sealed class BatchingGenerator(Func<SampleRequest, bool>? breaksBatchStartingAt = null) : ISampleGenerator
    {
        public ConcurrentQueue<SampleRequest[]> Batches { get; } = new();

        public int BatchSize => 4;

        public ValueTask<GeneratedSample> GenerateAsync(SampleRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a batching generator is sent batches");

        public ValueTask<IReadOnlyList<GeneratedSample>> GenerateBatchAsync(IReadOnlyList<SampleRequest> requests, CancellationToken cancellationToken)
        {
            Batches.Enqueue([.. requests]);
            if (breaksBatchStartingAt?.Invoke(requests[0]) == true) throw new InvalidOperationException("the batch broke");
            return ValueTask.FromResult<IReadOnlyList<GeneratedSample>>(
                [.. requests.Select(r => new GeneratedSample($"{r.Prompt.Id}#{r.SampleIndex}:{r.Seed}", "stop"))]);
        }

        public void Dispose() { }
    }

    private async Task<(SqliteRunStore Store, RunInfo Run)> OpenAsync()
    {
        var store = SqliteRunStore.Open(Path.Combine(_folder.Path, SqliteRunStore.FileName));
        var run = await store.OpenRunAsync(new RunSpec("batching", Suite.Name, Suite.SourceText, "fake", "fake", null, Samples, RunSeed, "{}"));
        return (store, run);
    }

    private static string Describe(SampleRequest[] batch) => $"{batch[0].Prompt.Id}:{string.Join(",", batch.Select(r => r.SampleIndex))}";

    [Fact]
    public async Task Each_prompts_samples_go_out_in_chunks_of_the_batch_size_and_are_stored_once()
    {
        var (store, run) = await OpenAsync();
        await using var _ = store;
        var generator = new BatchingGenerator();
        var reports = new ConcurrentQueue<RunProgress>();

        var (succeeded, failed) = await new RunEngine(store, generator, concurrency: 3, new SynchronousProgress<RunProgress>(reports.Enqueue))
            .GenerateAsync(run, Suite, CancellationToken.None);

        Assert.Equal((20, 0), (succeeded, failed));
        Assert.All(generator.Batches, batch => Assert.All(batch, r => Assert.Equal(SampleSeeds.For(RunSeed, r.Prompt.Id, r.SampleIndex), r.Seed)));
        Assert.Equal(["a:0,1,2,3", "a:4,5,6,7", "a:8,9", "b:0,1,2,3", "b:4,5,6,7", "b:8,9"], generator.Batches.Select(Describe).Order());
        Assert.Equal("a:0,1,2,3", Describe(generator.Batches.First())); // the first unit goes alone, before the rest
        var stored = await store.ReadSamplesAsync(run.Id).ToListAsync();
        Assert.Equal(20, stored.Count);
        Assert.All(stored, s => Assert.Equal(Output(s.PromptId, s.SampleIndex), s.Output));
        Assert.Equal(20, stored.Select(s => (s.PromptId, s.SampleIndex)).Distinct().Count());
        // Progress counts samples, not batches.
        Assert.Equal(Enumerable.Range(1, 20), reports.Select(p => p.Done).Order());
        Assert.All(reports, p => Assert.Equal(20, p.Total));
    }

    [Fact]
    public async Task A_failed_batch_stores_its_samples_as_failed_and_a_resume_generates_only_them()
    {
        var (store, run) = await OpenAsync();
        await using var _ = store;

        var (succeeded, failed) = await new RunEngine(store, new BatchingGenerator(r => r is { Prompt.Id: "b", SampleIndex: 4 }), concurrency: 2)
            .GenerateAsync(run, Suite, CancellationToken.None);

        Assert.Equal((16, 4), (succeeded, failed));
        var broken = (await store.ReadSamplesAsync(run.Id).ToListAsync()).Where(s => !s.Ok).ToList();
        Assert.Equal([4, 5, 6, 7], broken.Select(s => s.SampleIndex).Order());
        Assert.All(broken, s => Assert.Equal(("b", SampleSeeds.For(RunSeed, "b", s.SampleIndex)), (s.PromptId, s.Seed)));
        Assert.All(broken, s => Assert.Contains("the batch broke", s.Error));

        var resumed = new BatchingGenerator();
        Assert.Equal((4, 0), await new RunEngine(store, resumed, concurrency: 2).GenerateAsync(run, Suite, CancellationToken.None));

        Assert.Equal(["b:4,5,6,7"], resumed.Batches.Select(Describe));
        var stored = await store.ReadSamplesAsync(run.Id).ToListAsync();
        Assert.Equal(20, stored.Count);
        Assert.All(stored, s => Assert.Equal(Output(s.PromptId, s.SampleIndex), s.Output));
    }

    [Fact]
    public async Task The_default_batch_makes_the_samples_one_by_one_in_order()
    {
        using ISampleGenerator generator = new OneAtATimeGenerator();
        var requests = Suite.Prompts.Select((p, i) => new SampleRequest(p, i, Seed: 10 + i)).ToList();

        var samples = await generator.GenerateBatchAsync(requests, CancellationToken.None);

        Assert.Equal(1, generator.BatchSize);
        Assert.Equal(["First/0/10", "Second/1/11"], samples.Select(s => s.Output));
    }

    /// <summary>Implements only <see cref="ISampleGenerator.GenerateAsync"/>.</summary>
    private sealed class OneAtATimeGenerator : ISampleGenerator
    {
        public ValueTask<GeneratedSample> GenerateAsync(SampleRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new GeneratedSample($"{request.Prompt.Text}/{request.SampleIndex}/{request.Seed}", "stop"));

        public void Dispose() { }
    }
}
