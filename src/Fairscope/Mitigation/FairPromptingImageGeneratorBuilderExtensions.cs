using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>Adds <see cref="FairPromptingImageGenerator"/> to an image-generation pipeline.</summary>
public static class FairPromptingImageGeneratorBuilderExtensions
{
    /// <summary>Applies <paramref name="options"/>' intervention to the prompts of the generators after this one in the
    /// pipeline; null leaves the pipeline as it is.</summary>
    public static ImageGeneratorBuilder UseFairPrompting(this ImageGeneratorBuilder builder, FairPromptingOptions? options) =>
        options is null ? builder : builder.Use(inner => new FairPromptingImageGenerator(inner, options));
}
