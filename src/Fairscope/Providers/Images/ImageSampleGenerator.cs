using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>
/// Samples images through any <see cref="IImageGenerator"/>, one image per sample: the prompt's text is the request,
/// the image is stored content-addressed in the run's <see cref="ImageStore"/>, and the sample's output is its reference
/// (<c>images/SHA256.EXT</c>). An image may come back as data or as a URL, which is downloaded (http(s), an image or
/// octet-stream content type, at most <see cref="ImageDecoder.MaxEncodedBytes"/>). Every image is decoded before anything
/// is stored, so an undecodable image, a wrong content type, an oversized or empty answer is a failed sample with a
/// one-line error, and a failed request leaves no file behind.
/// <para>Seeds: with <see cref="ImageSettings.ImagesPerRequest"/> above 1, one request makes the images of several samples
/// of a prompt, sent with the first sample's seed. Each sample records the seed the server reports for its image (A1111's
/// <c>all_seeds</c>, through <see cref="SeedProperty"/> on the image), else the seed of its request, so the stored seed
/// is the one that produced the image. A batch succeeds or fails as a whole.</para>
/// </summary>
public sealed class ImageSampleGenerator : ISampleGenerator
{
    /// <summary>Key of a seed in <see cref="ImageGenerationOptions.AdditionalProperties"/> (the request's) and in an image's
    /// <see cref="AIContent.AdditionalProperties"/> (the one the server used), since M.E.AI's image types have no seed.</summary>
    public const string SeedProperty = "seed";

    private readonly IImageGenerator _generator;
    private readonly ImageStore _images;
    private readonly ImageSettings _settings;
    private readonly HttpClient _downloads;

    /// <summary>Samples through <paramref name="generator"/> into <paramref name="images"/>; <paramref name="downloadTimeout"/>
    /// bounds the download of an image returned as a URL (default 120 s).</summary>
    public ImageSampleGenerator(IImageGenerator generator, ImageStore images, ImageSettings settings, TimeSpan? downloadTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.ImagesPerRequest, 1);
        (_generator, _images, _settings) = (generator, images, settings);
        _downloads = new HttpClient { Timeout = downloadTimeout ?? RetryOptions.Default.RequestTimeout };
    }

    /// <inheritdoc />
    public int BatchSize => _settings.ImagesPerRequest;

    /// <inheritdoc />
    public async ValueTask<GeneratedSample> GenerateAsync(SampleRequest request, CancellationToken cancellationToken) =>
        (await GenerateBatchAsync([request], cancellationToken))[0];

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<GeneratedSample>> GenerateBatchAsync(IReadOnlyList<SampleRequest> requests, CancellationToken cancellationToken)
    {
        var first = requests[0];
        ImageGenerationResponse response;
        var options = _settings.ToOptions(requests.Count, first.Seed);
        options.AdditionalProperties![SampleRequest.IndexProperty] = first.SampleIndex;
        try { response = await _generator.GenerateAsync(new ImageGenerationRequest(first.Prompt.Text), options, cancellationToken); }
        catch (JsonException e) { throw new InvalidDataException($"the answer is not valid image-generation JSON ({e.Message})", e); }
        var images = response.Contents.Where(c => c is DataContent or UriContent).ToList();
        if (images.Count == 0) throw new InvalidDataException("the answer holds no image (empty data list)");
        if (images.Count < requests.Count) throw new InvalidDataException($"the answer holds {images.Count} images for the {requests.Count} requested");

        var bytes = new byte[requests.Count][];
        for (int i = 0; i < requests.Count; i++)
        {
            var what = $"the image of prompt '{requests[i].Prompt.Id}' sample {requests[i].SampleIndex}";
            bytes[i] = await BytesOfAsync(images[i], what, cancellationToken);
            ImageDecoder.Decode(bytes[i], what);
        }
        var attempts = response.Usage?.AdditionalCounts?.TryGetValue(RetryPipeline.AttemptsProperty, out var a) == true ? (int)a : 1;
        return [.. requests.Select((request, i) => new GeneratedSample(_images.Put(bytes[i], $"prompt '{request.Prompt.Id}' sample {request.SampleIndex}"),
            null, attempts, images[i].AdditionalProperties?.TryGetValue<long>(SeedProperty, out var seed) == true ? seed : first.Seed))];
    }

    private async Task<byte[]> BytesOfAsync(AIContent image, string what, CancellationToken cancellationToken)
    {
        if (image is DataContent data)
            return IsImageType(data.MediaType) ? data.Data.ToArray() : throw new InvalidDataException($"{what} has media type '{data.MediaType}', not an image");
        var uri = ((UriContent)image).Uri;
        var shown = uri.GetLeftPart(UriPartial.Path); // signed URLs carry credentials in the query
        if (uri.Scheme is not ("http" or "https")) throw new InvalidDataException($"{what}: the URL {shown} is not http(s)");
        using var response = await _downloads.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode) throw new InvalidDataException($"{what}: downloading {shown} failed with HTTP {(int)response.StatusCode}");
        var type = response.Content.Headers.ContentType?.MediaType;
        if (!IsImageType(type)) throw new InvalidDataException($"{what}: {shown} has content type '{type}', not an image");
        if (response.Content.Headers.ContentLength > ImageDecoder.MaxEncodedBytes) throw BoundedRead.TooLarge($"{what} ({shown})", ImageDecoder.MaxEncodedBytes);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await BoundedRead.ReadAllAsync(stream, ImageDecoder.MaxEncodedBytes, $"{what} ({shown})", cancellationToken);
    }

    // The bytes decide which image type it is; a declared type only has to allow an image.
    private static bool IsImageType(string? mediaType) =>
        mediaType is not null && (mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc />
    public void Dispose()
    {
        _generator.Dispose();
        _downloads.Dispose();
    }
}
