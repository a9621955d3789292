using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>Adds <see cref="RetryingImageGenerator"/> to an image-generation pipeline.</summary>
public static class RetryingImageGeneratorBuilderExtensions
{
    /// <summary>Retries transient failures of the generators after this one in the pipeline.</summary>
    public static ImageGeneratorBuilder UseRetries(this ImageGeneratorBuilder builder, RetryOptions? options = null) =>
        builder.Use(inner => new RetryingImageGenerator(inner, options ?? RetryOptions.Default));
}
