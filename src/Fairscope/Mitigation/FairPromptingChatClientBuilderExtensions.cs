using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>Adds <see cref="FairPromptingChatClient"/> to a chat pipeline.</summary>
public static class FairPromptingChatClientBuilderExtensions
{
    /// <summary>Applies <paramref name="options"/>' intervention to the requests of the clients after this one in the pipeline;
    /// null leaves the pipeline as it is.</summary>
    public static ChatClientBuilder UseFairPrompting(this ChatClientBuilder builder, FairPromptingOptions? options) =>
        options is null ? builder : builder.Use(inner => new FairPromptingChatClient(inner, options));
}
