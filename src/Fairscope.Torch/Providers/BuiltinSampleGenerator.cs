namespace Fairscope;

/// <summary>Samples an in-process <see cref="LanguageModel"/> (<c>--provider builtin</c>): the prompt is continued as text, with
/// the sample's seed, so a run is reproducible sample by sample. Nothing leaves the process. Samples of one prompt are
/// drawn as rows of one batch, each row with its own seed, so a sample depends on its prompt and seed only (up to the
/// float rounding of batched matrix products) and a resumed run regenerates what a whole one would have. Disposing it
/// disposes the model unless <paramref name="ownsModel"/> is false (a caller that audits a model it goes on using).</summary>
public sealed class BuiltinSampleGenerator(LanguageModel model, GenerationOptions options, bool ownsModel = true) : ISampleGenerator
{
    /// <summary>Rows per batch: on a CPU a step of a small model is mostly fixed overhead, so 64 rows cost little more
    /// than one, while the batch's memory (activations and key/value cache grow with the rows) stays small.</summary>
    public const int RowsPerBatch = 64;

    /// <inheritdoc />
    public int BatchSize => RowsPerBatch;

    /// <inheritdoc />
    public ValueTask<GeneratedSample> GenerateAsync(SampleRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (output, endOfText) = model.Complete(Prompt(request), options.MaxOutputTokens, (float)options.Temperature, request.Seed);
        return ValueTask.FromResult(Sample(output, endOfText));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<GeneratedSample>> GenerateBatchAsync(IReadOnlyList<SampleRequest> requests, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // One batch per distinct prompt (the run engine sends one), answers put back in the order asked.
        var samples = new GeneratedSample[requests.Count];
        foreach (var prompt in Enumerable.Range(0, requests.Count).GroupBy(i => Prompt(requests[i])))
        {
            var completions = model.CompleteBatch(prompt.Key, [.. prompt.Select(i => requests[i].Seed)], options.MaxOutputTokens, (float)options.Temperature);
            foreach (var (i, (output, endOfText)) in prompt.Zip(completions)) samples[i] = Sample(output, endOfText);
        }
        return ValueTask.FromResult<IReadOnlyList<GeneratedSample>>(samples);
    }

    private string Prompt(SampleRequest request) =>
        options.SystemPrompt is { } system ? system + "\n" + request.Prompt.Text : request.Prompt.Text;

    private static GeneratedSample Sample(string output, bool endOfText) => new(output, endOfText ? "stop" : "length");

    /// <inheritdoc />
    public void Dispose()
    {
        if (ownsModel) model.Dispose();
    }
}
