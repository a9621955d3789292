namespace Fairscope;

/// <summary>
/// Labels every successful sample that lacks a label from an annotator's current (name, version), and stores
/// the labels in batches. Generation is never repeated: re-annotating with a new annotator version or a judge
/// only reads stored outputs.
/// </summary>
public sealed class AnnotationStage(IRunStore store, IReadOnlyList<IAnnotator> annotators, int concurrency, IProgress<RunProgress>? progress = null)
{
    private const int MaxBatch = 512; // samples' labels per transaction

    /// <summary>Annotates what is missing. Returns every sample of the run and every label, stored ones and new ones,
    /// so that the caller need not read the store again.</summary>
    public async Task<AnnotatedRun> AnnotateAsync(RunInfo run, Suite suite, CancellationToken cancellationToken)
    {
        var prompts = suite.Prompts.ToDictionary(p => p.Id);
        var annotations = new List<AnnotationRecord>();
        await foreach (var a in store.ReadAnnotationsAsync(run.Id, cancellationToken)) annotations.Add(a);
        var samples = new List<SampleRecord>();
        await foreach (var s in store.ReadSamplesAsync(run.Id, cancellationToken)) samples.Add(s);
        var labelled = annotations.Select(a => (a.Annotator, a.AnnotatorVersion, a.PromptId, a.SampleIndex)).ToHashSet();
        var todo = annotators.SelectMany(a => samples.Where(s => s.Ok && prompts.ContainsKey(s.PromptId)
                && !labelled.Contains((a.Name, a.Version, s.PromptId, s.SampleIndex)))
            .Select(s => (Annotator: a, Sample: s))).ToList();
        if (todo.Count == 0) return new AnnotatedRun(samples, annotations, 0);

        // The writer thread alone appends to the list, after each batch is stored.
        using var writer = new BatchWriter<AnnotationRecord[]>(MaxBatch, async batch =>
        {
            var records = batch.SelectMany(b => b).ToList();
            await store.WriteAnnotationsAsync(run.Id, records);
            annotations.AddRange(records);
        }, cancellationToken);
        var done = 0;
        try
        {
            await Parallel.ForEachAsync(todo, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = writer.Token },
                async (item, ct) =>
                {
                    AnnotationRecord[] labels;
                    try { labels = await LabelAsync([item.Annotator], prompts[item.Sample.PromptId], item.Sample, ct); }
                    catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        throw new FairscopeException($"annotator {item.Annotator.Name} failed on {item.Sample.PromptId} sample {item.Sample.SampleIndex}: {ErrorText.Describe(e)}; labels so far are stored, rerun to continue", e);
                    }
                    writer.Add(labels);
                    progress?.Report(new RunProgress("annotate", Interlocked.Increment(ref done), todo.Count, 0));
                });
        }
        finally
        {
            await writer.CompleteAsync();
        }
        return new AnnotatedRun(samples, annotations, todo.Count);
    }

    /// <summary>The records of every annotator's labels for one successful sample.</summary>
    public static async Task<AnnotationRecord[]> LabelAsync(IReadOnlyList<IAnnotator> annotators, SuitePrompt prompt, SampleRecord sample,
        CancellationToken cancellationToken)
    {
        var records = new List<AnnotationRecord>();
        foreach (var annotator in annotators)
            foreach (var l in await annotator.AnnotateAsync(new AnnotationInput(prompt, sample.Output!), cancellationToken))
                records.Add(new AnnotationRecord(sample.PromptId, sample.SampleIndex, annotator.Name, annotator.Version, l.Attribute, l.Label, l.Evidence));
        return [.. records];
    }
}
