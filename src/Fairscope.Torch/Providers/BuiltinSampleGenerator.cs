namespace Fairscope;

/// <summary>Samples an in-process <see cref="LanguageModel"/> (<c>--provider builtin</c>): the prompt is continued as text, with
/// the sample's seed, so a run is reproducible sample by sample. Nothing leaves the process.</summary>
public sealed class BuiltinSampleGenerator(LanguageModel model, GenerationOptions options) : ISampleGenerator
{
    /// <inheritdoc />
    public ValueTask<GeneratedSample> GenerateAsync(SampleRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var prompt = options.SystemPrompt is { } system ? system + "\n" + request.Prompt.Text : request.Prompt.Text;
        var (output, endOfText) = model.Complete(prompt, options.MaxOutputTokens, (float)options.Temperature, request.Seed);
        return ValueTask.FromResult(new GeneratedSample(output, endOfText ? "stop" : "length"));
    }

    /// <inheritdoc />
    public void Dispose() => model.Dispose();
}
