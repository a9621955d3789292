using System.Drawing;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>
/// Image-generation parameters. Part of a run's identity (the run spec's Parameters, as <see cref="ToJson"/>): resuming
/// with other values is refused. A field a provider does not use stays unset, so it is not in the JSON either.
/// </summary>
/// <param name="Width">Image width in pixels, with <paramref name="Height"/>; unset: the server's default.</param>
/// <param name="ImagesPerRequest">Images, each one sample of the same prompt, per request: <c>n</c> for the OpenAI images
/// API, <c>batch_size</c> for A1111 (see <see cref="ImageSampleGenerator"/> for the seeds of a batch).</param>
/// <param name="Quality">openai-images: the quality (standard, hd, low, medium, high, auto), passed as given.</param>
/// <param name="ResponseFormat">openai-images: <see cref="Url"/> or <see cref="Base64"/>; unset: the server's default
/// (gpt-image models accept no response_format and always answer base64).</param>
/// <param name="SendSeed">openai-images: send each request's seed as <c>seed</c>, for compatible servers that honour one
/// (OpenAI's own API rejects the parameter).</param>
/// <param name="NegativePrompt">a1111: what the image should not show.</param>
/// <param name="Steps">a1111 and the built-in diffusion model: sampling steps.</param>
/// <param name="CfgScale">a1111 and the built-in diffusion model: classifier-free guidance scale.</param>
/// <param name="Sampler">a1111: sampler name, e.g. <c>DPM++ 2M</c>; unset: the server's default.</param>
public sealed record ImageSettings(
    int? Width = null,
    int? Height = null,
    int ImagesPerRequest = 1,
    string? Quality = null,
    string? ResponseFormat = null,
    bool SendSeed = false,
    string? NegativePrompt = null,
    int? Steps = null,
    double? CfgScale = null,
    string? Sampler = null)
{
    /// <summary>Response format: a URL to download the image from.</summary>
    public const string Url = "url";

    /// <summary>Response format: the image inline, base64-encoded.</summary>
    public const string Base64 = "b64_json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    };

    /// <summary>Canonical JSON stored with the run: snake_case names in declaration order, unset fields left out.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses <c>WIDTHxHEIGHT</c> (e.g. 1024x1024); throws <see cref="FairscopeException"/> otherwise.</summary>
    public static (int Width, int Height) ParseSize(string text)
    {
        var parts = text.Split('x', 'X');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height) && width is > 0 and <= 16384 && height is > 0 and <= 16384)
            return (width, height);
        throw new FairscopeException($"--size '{text}' must be WIDTHxHEIGHT in pixels, e.g. 1024x1024");
    }

    /// <summary>Options for one request of <paramref name="count"/> images; the seed travels in
    /// <see cref="ImageGenerationOptions.AdditionalProperties"/> under <see cref="ImageSampleGenerator.SeedProperty"/>,
    /// since M.E.AI's options have no seed.</summary>
    public ImageGenerationOptions ToOptions(int count, long seed) => new()
    {
        Count = count,
        ImageSize = Width is { } w && Height is { } h ? new Size(w, h) : null,
        ResponseFormat = ResponseFormat switch
        {
            null => null,
            Url => ImageGenerationResponseFormat.Uri,
            Base64 => ImageGenerationResponseFormat.Data,
            _ => throw new FairscopeException($"response format '{ResponseFormat}' must be {Url} or {Base64}"),
        },
        AdditionalProperties = new() { [ImageSampleGenerator.SeedProperty] = seed },
    };
}
