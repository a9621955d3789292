using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>
/// The generation side of a <see cref="UnifiedModel"/> as an <see cref="IImageGenerator"/> (<c>--provider builtin-umllm</c>),
/// so the audit path stores, annotates and reports its images like any other image model's. A request for n images
/// draws them as rows of one batch with seeds s, s + 1, …, s + n − 1 from the request's seed s
/// (<see cref="ImageSampleGenerator.SeedProperty"/>), and each image reports its seed.
/// </summary>
public sealed class UnifiedImageGenerator(UnifiedModel model, float temperature = 1, bool ownsModel = false) : IImageGenerator
{
    /// <inheritdoc />
    public Task<ImageGenerationResponse> GenerateAsync(ImageGenerationRequest request, ImageGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var seed = options?.AdditionalProperties?.TryGetValue<long>(ImageSampleGenerator.SeedProperty, out var s) == true ? s : 0;
        var seeds = Enumerable.Range(0, Math.Max(1, options?.Count ?? 1)).Select(i => seed + i).ToArray();
        var images = model.Draw(request.Prompt ?? "", seeds, temperature);
        return Task.FromResult(new ImageGenerationResponse([.. images.Select((image, i) => (AIContent)new DataContent(ImageDecoder.EncodePng(image), "image/png")
        {
            AdditionalProperties = new() { [ImageSampleGenerator.SeedProperty] = seeds[i] },
        })]));
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc />
    public void Dispose()
    {
        if (ownsModel) model.Dispose();
    }
}
