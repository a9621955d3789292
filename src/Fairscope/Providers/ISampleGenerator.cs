namespace Fairscope;

/// <summary>
/// Produces one sample for one prompt. The run engine only knows this interface, so a chat endpoint
/// (<see cref="ChatSampleGenerator"/> over any <see cref="Microsoft.Extensions.AI.IChatClient"/>), a file of
/// outputs made elsewhere (<see cref="ReplaySampleGenerator"/>), an in-process model or an image generator all
/// plug into the same audit path.
/// </summary>
public interface ISampleGenerator : IDisposable
{
    /// <summary>Generates the sample; throws when it cannot (the engine records the failure and goes on).</summary>
    ValueTask<GeneratedSample> GenerateAsync(SampleRequest request, CancellationToken cancellationToken);
}

/// <summary>Which sample to produce: the prompt, the sample's index within it and its seed.</summary>
public sealed record SampleRequest(SuitePrompt Prompt, int SampleIndex, long Seed);

/// <summary>A generated output. <see cref="Attempts"/> counts requests including retries.</summary>
public sealed record GeneratedSample(string Output, string? FinishReason, int Attempts = 1);
