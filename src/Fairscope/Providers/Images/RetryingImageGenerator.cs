using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>Retries transient failures of the inner image generator with a <see cref="RetryPipeline"/>, the same policy
/// as <see cref="RetryingChatClient"/>. The response has no property bag of its own, so the attempt count goes in
/// <see cref="UsageDetails.AdditionalCounts"/> under <see cref="RetryPipeline.AttemptsProperty"/>: requests made are usage.</summary>
public sealed class RetryingImageGenerator : DelegatingImageGenerator
{
    private readonly RetryPipeline _retries;

    /// <summary>Wraps <paramref name="innerGenerator"/>.</summary>
    public RetryingImageGenerator(IImageGenerator innerGenerator, RetryOptions options) : base(innerGenerator) => _retries = new RetryPipeline(options);

    /// <inheritdoc />
    public override async Task<ImageGenerationResponse> GenerateAsync(ImageGenerationRequest request, ImageGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var (response, attempts) = await _retries.ExecuteAsync(ct => base.GenerateAsync(request, options, ct), cancellationToken);
        ((response.Usage ??= new()).AdditionalCounts ??= [])[RetryPipeline.AttemptsProperty] = attempts;
        return response;
    }
}
