using System.ClientModel.Primitives;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>
/// Connects to an OpenAI-compatible images endpoint (<c>POST /v1/images/generations</c>: OpenAI, Azure OpenAI's v1 API,
/// LocalAI and the like) through Microsoft.Extensions.AI's OpenAI adapter, with <see cref="OpenAIEndpoint"/>'s key and
/// URL rules and <see cref="RetryingImageGenerator"/>'s retries. The adapter maps size, n and the response format;
/// quality and the seed, which M.E.AI's options lack, go in the SDK's own options (see <see cref="SdkOptions"/>).
/// </summary>
public static class OpenAIImageEndpoint
{
    /// <summary>Builds the image generator for <paramref name="model"/> at <paramref name="baseUrl"/>.</summary>
    public static IImageGenerator CreateImageGenerator(string baseUrl, string model, string apiKeyVariable, RetryOptions retry, ImageSettings settings) =>
        OpenAIEndpoint.CreateClient(baseUrl, apiKeyVariable, retry).GetImageClient(model).AsIImageGenerator().AsBuilder()
            .UseRetries(retry)
            .ConfigureOptions(options => options.RawRepresentationFactory = _ => SdkOptions(settings, options))
            .Build();

    /// <summary>The SDK's options for one request. They are read from JSON because the SDK keeps properties it does not
    /// model (here <c>seed</c>) and writes them back into the request body, next to the ones it knows (<c>quality</c>).</summary>
    internal static OpenAI.Images.ImageGenerationOptions SdkOptions(ImageSettings settings, ImageGenerationOptions options)
    {
        var json = new JsonObject();
        if (settings.Quality is { } quality) json["quality"] = quality;
        if (settings.SendSeed && options.AdditionalProperties?.TryGetValue<long>(ImageSampleGenerator.SeedProperty, out var seed) == true) json["seed"] = seed;
        return ModelReaderWriter.Read<OpenAI.Images.ImageGenerationOptions>(BinaryData.FromString(json.ToJsonString()))!;
    }
}
