using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>Retries transient failures of the inner client with a <see cref="RetryPipeline"/>; the response carries
/// the attempt count in <see cref="ChatResponse.AdditionalProperties"/> under <see cref="RetryPipeline.AttemptsProperty"/>.</summary>
public sealed class RetryingChatClient : DelegatingChatClient
{
    private readonly RetryPipeline _retries;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    public RetryingChatClient(IChatClient innerClient, RetryOptions options) : base(innerClient) => _retries = new RetryPipeline(options);

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var (response, attempts) = await _retries.ExecuteAsync(ct => base.GetResponseAsync(messages, options, ct), cancellationToken);
        (response.AdditionalProperties ??= [])[RetryPipeline.AttemptsProperty] = attempts;
        return response;
    }
}
