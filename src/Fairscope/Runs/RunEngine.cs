using System.Diagnostics;

namespace Fairscope;

/// <summary>
/// Generates a run's missing samples: every (prompt, sample index) not yet stored as a success, with bounded
/// concurrency. Finished samples go to a <see cref="BatchWriter{T}"/> that commits them in batches, so the
/// store sees few transactions at high rates and a killed process loses only what was in flight. A failed
/// request is stored as a failed sample with its error (and retried by the next invocation); a fault of the
/// endpoint itself on the first request stops the run before anything is stored. Cheap local annotators can
/// label each sample as it arrives (<paramref name="inlineAnnotators"/>): generation waits on the network, so
/// labelling in its shadow costs no wall time; <see cref="AnnotationStage"/> catches up on anything missed.
/// A generator that prefers batches (<see cref="ISampleGenerator.BatchSize"/> above 1) gets each prompt's missing
/// samples in chunks of that size, each sample still with its own seed; a failed chunk stores all its samples as failed.
/// A sample is stored with the seed its generator reports (<see cref="GeneratedSample.Seed"/>), else its request's.
/// </summary>
public sealed class RunEngine(IRunStore store, ISampleGenerator generator, int concurrency, IProgress<RunProgress>? progress = null,
    IReadOnlyList<IAnnotator>? inlineAnnotators = null)
{
    private const int MaxBatch = 512;

    /// <summary>Generates what is missing; returns (succeeded, failed) counts of this invocation.</summary>
    public async Task<(int Succeeded, int Failed)> GenerateAsync(RunInfo run, Suite suite, CancellationToken cancellationToken)
    {
        var done = await store.GetSucceededKeysAsync(run.Id, cancellationToken);
        var todo = suite.Prompts.SelectMany(p => Enumerable.Range(0, run.Spec.SamplesPerPrompt)
                .Where(i => !done.Contains((p.Id, i)))
                .Select(i => new SampleRequest(p, i, SampleSeeds.For(run.Spec.Seed, p.Id, i))))
            .ToList();
        if (todo.Count == 0) return (0, 0);

        // A unit of work is one sample, or for a batching generator a chunk of one prompt's samples.
        bool batched = generator.BatchSize > 1;
        var units = batched
            ? todo.GroupBy(r => r.Prompt.Id).SelectMany(prompt => prompt.Chunk(generator.BatchSize)).ToList()
            : todo.Select(r => new[] { r }).ToList();
        int succeeded = 0, failed = 0, finished = 0;
        using var writer = new BatchWriter<(SampleRecord Sample, AnnotationRecord[] Labels)>(MaxBatch, async batch =>
        {
            await store.WriteSamplesAsync(run.Id, batch.Select(b => b.Sample).ToList());
            await store.WriteAnnotationsAsync(run.Id, batch.SelectMany(b => b.Labels).ToList());
        }, cancellationToken);

        async ValueTask<IReadOnlyList<GeneratedSample>> Produce(SampleRequest[] unit, CancellationToken ct)
        {
            if (!batched) return [await generator.GenerateAsync(unit[0], ct)];
            var samples = await generator.GenerateBatchAsync(unit, ct);
            return samples.Count == unit.Length ? samples
                : throw new FairscopeException($"the generator returned {samples.Count} samples for a batch of {unit.Length}");
        }

        async ValueTask Generate(SampleRequest[] unit, CancellationToken ct, bool first)
        {
            // A batched sample's latency is its batch's.
            var clock = Stopwatch.StartNew();
            SampleRecord[] records;
            try
            {
                var samples = await Produce(unit, ct);
                records = [.. unit.Zip(samples, (request, sample) => new SampleRecord(request.Prompt.Id, request.SampleIndex, sample.Seed ?? request.Seed,
                    sample.Output, null, sample.FinishReason, clock.Elapsed.TotalMilliseconds, sample.Attempts))];
                Interlocked.Add(ref succeeded, unit.Length);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                if (first && ErrorText.IsEndpointFault(e))
                    throw new FairscopeException($"the first request failed, so the endpoint looks wrong ({ErrorText.Describe(e)}); nothing was stored", e);
                records = [.. unit.Select(request => new SampleRecord(request.Prompt.Id, request.SampleIndex, request.Seed, null, ErrorText.Describe(e),
                    null, clock.Elapsed.TotalMilliseconds, RetryPipeline.AttemptsOf(e)))];
                Interlocked.Add(ref failed, unit.Length);
            }
            for (int i = 0; i < unit.Length; i++) await Record(unit[i].Prompt, records[i], ct);
        }

        // Labels a finished sample (when it succeeded) and queues it for the store.
        async ValueTask Record(SuitePrompt prompt, SampleRecord record, CancellationToken ct)
        {
            AnnotationRecord[] labels = [];
            if (record.Ok && inlineAnnotators is { Count: > 0 })
            {
                // A labelling failure must not cost the output: AnnotationStage labels what is missing later.
                try { labels = await AnnotationStage.LabelAsync(inlineAnnotators, prompt, record, ct); }
                catch (Exception) when (!ct.IsCancellationRequested) { }
                catch (OperationCanceledException) { }
            }
            writer.Add((record, labels));
            progress?.Report(new RunProgress("generate", Interlocked.Increment(ref finished), todo.Count, Volatile.Read(ref failed)));
        }

        try
        {
            // One unit first: a wrong URL, key or model name fails once, clearly, instead of once per sample.
            await Generate(units[0], writer.Token, first: true);
            await Parallel.ForEachAsync(units.Skip(1), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = writer.Token },
                (unit, ct) => Generate(unit, ct, first: false));
        }
        finally
        {
            await writer.CompleteAsync(); // a store failure surfaces here, in place of the cancellation it caused
        }
        return (succeeded, failed);
    }
}
