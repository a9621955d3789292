using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>Adds <see cref="RetryingChatClient"/> to a chat pipeline.</summary>
public static class RetryingChatClientBuilderExtensions
{
    /// <summary>Retries transient failures of the clients after this one in the pipeline.</summary>
    public static ChatClientBuilder UseRetries(this ChatClientBuilder builder, RetryOptions? options = null) =>
        builder.Use(inner => new RetryingChatClient(inner, options ?? RetryOptions.Default));
}
