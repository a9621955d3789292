using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>
/// An in-process image model as an <see cref="IImageGenerator"/>, so the audit path stores, annotates and reports its
/// images like any other image model's. A request for n images draws them as rows of one batch with seeds s, s + 1, …,
/// s + n − 1 from the request's seed s (<see cref="ImageSampleGenerator.SeedProperty"/>), and each image reports its seed.
/// </summary>
public abstract class SeededImageGenerator(IDisposable? owned) : IImageGenerator
{
    /// <summary>One image of <paramref name="prompt"/> per seed.</summary>
    protected abstract IReadOnlyList<RgbImage> Draw(string prompt, long[] seeds);

    /// <inheritdoc />
    public Task<ImageGenerationResponse> GenerateAsync(ImageGenerationRequest request, ImageGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var seed = options?.AdditionalProperties?.TryGetValue<long>(ImageSampleGenerator.SeedProperty, out var s) == true ? s : 0;
        var seeds = Enumerable.Range(0, Math.Max(1, options?.Count ?? 1)).Select(i => seed + i).ToArray();
        var images = Draw(request.Prompt ?? "", seeds);
        return Task.FromResult(new ImageGenerationResponse([.. images.Select((image, i) => (AIContent)new DataContent(ImageDecoder.EncodePng(image), "image/png")
        {
            AdditionalProperties = new() { [ImageSampleGenerator.SeedProperty] = seeds[i] },
        })]));
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    /// <summary>Disposes the model when the generator owns it.</summary>
    public void Dispose()
    {
        owned?.Dispose();
        GC.SuppressFinalize(this);
    }
}
