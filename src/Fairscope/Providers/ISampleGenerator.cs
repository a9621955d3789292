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

    /// <summary>How many samples of one prompt the generator would rather make in one call: an in-process model
    /// samples many rows of a prompt for little more than the cost of one. 1 (the default): one sample per call.</summary>
    int BatchSize => 1;

    /// <summary>Generates one sample per request, in the order of <paramref name="requests"/>; the run engine sends
    /// requests of one prompt, at most <see cref="BatchSize"/> of them. Throws when it cannot (the engine records every
    /// request of the batch as failed). The default makes them one by one with <see cref="GenerateAsync"/>.</summary>
    async ValueTask<IReadOnlyList<GeneratedSample>> GenerateBatchAsync(IReadOnlyList<SampleRequest> requests, CancellationToken cancellationToken)
    {
        var samples = new List<GeneratedSample>(requests.Count);
        foreach (var request in requests) samples.Add(await GenerateAsync(request, cancellationToken));
        return samples;
    }
}

/// <summary>Which sample to produce: the prompt, the sample's index within it and its seed.</summary>
public sealed record SampleRequest(SuitePrompt Prompt, int SampleIndex, long Seed)
{
    /// <summary>Key of <see cref="SampleIndex"/> in the chat and image options' AdditionalProperties, for middleware that
    /// varies the request by sample (<see cref="FairPromptingChatClient"/> removes it before the provider sees it).</summary>
    public const string IndexProperty = "fairscope.sample_index";
}

/// <summary>A generated output. <see cref="Attempts"/> counts requests including retries. <see cref="Seed"/> is the seed
/// that produced it when that is not the request's own (an image server numbering the seeds of a batch itself, or one
/// seed shared by the images of one request); null keeps <see cref="SampleRequest.Seed"/>.</summary>
public sealed record GeneratedSample(string Output, string? FinishReason, int Attempts = 1, long? Seed = null);
