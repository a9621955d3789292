using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>
/// A <see cref="DiffusionModel"/> as an <see cref="IImageGenerator"/> (<c>--provider builtin-diffusion</c>), so the audit path
/// stores, annotates and reports its images like any other image model's. A request for n images draws them as rows of
/// one batch with seeds s, s + 1, …, s + n − 1 from the request's seed s (<see cref="ImageSampleGenerator.SeedProperty"/>),
/// and each image reports its seed; sampling steps and guidance come from the model unless given.
/// </summary>
public sealed class DiffusionImageGenerator(DiffusionModel model, int? steps = null, double? guidance = null, bool ownsModel = false) : IImageGenerator
{
    /// <inheritdoc />
    public Task<ImageGenerationResponse> GenerateAsync(ImageGenerationRequest request, ImageGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var seed = options?.AdditionalProperties?.TryGetValue<long>(ImageSampleGenerator.SeedProperty, out var s) == true ? s : 0;
        var seeds = Enumerable.Range(0, Math.Max(1, options?.Count ?? 1)).Select(i => seed + i).ToArray();
        var images = model.Draw([.. seeds.Select(_ => request.Prompt ?? "")], seeds, steps, guidance);
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
