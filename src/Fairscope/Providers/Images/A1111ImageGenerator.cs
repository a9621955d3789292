using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>
/// An <see cref="IImageGenerator"/> for the Stable Diffusion WebUI (AUTOMATIC1111) and Forge API,
/// <c>POST /sdapi/v1/txt2img</c>. The request carries the prompt, the size and count (<c>batch_size</c>) from
/// <see cref="ImageGenerationOptions"/>, the seed from its <see cref="ImageGenerationOptions.AdditionalProperties"/>
/// (<see cref="ImageSampleGenerator.SeedProperty"/>; none: the server draws one) and the negative prompt, steps, CFG
/// scale and sampler from <see cref="ImageSettings"/>; a model name selects the checkpoint for the request
/// (<c>override_settings.sd_model_checkpoint</c>). The answer's <c>images</c> are base64; its <c>info</c>, a JSON string,
/// gives each image's seed (<c>all_seeds</c>), which goes on the image's <see cref="AIContent.AdditionalProperties"/> under
/// the same key, and where the images start (<c>index_of_first_image</c>: a grid may come first). HTTP failures surface as
/// <see cref="ClientResultException"/>, as from the OpenAI SDK, so error text, retries and the first-request check apply unchanged.
/// </summary>
public sealed class A1111ImageGenerator : IImageGenerator
{
    /// <summary>Where the WebUI listens by default.</summary>
    public const string DefaultBaseUrl = "http://127.0.0.1:7860";

    private readonly ClientPipeline _pipeline;
    private readonly Uri _txt2img;
    private readonly string? _model;
    private readonly ImageSettings _settings;
    private readonly ImageGeneratorMetadata _metadata;

    /// <summary>A generator for the server at <paramref name="baseUrl"/>; <paramref name="model"/> null keeps the server's checkpoint.</summary>
    public A1111ImageGenerator(string baseUrl, string? model, ImageSettings settings, TimeSpan networkTimeout)
    {
        var endpoint = OpenAIEndpoint.ParseBaseUrl(baseUrl);
        _txt2img = new Uri(endpoint.ToString().TrimEnd('/') + "/sdapi/v1/txt2img");
        _pipeline = ClientPipeline.Create(new ClientPipelineOptions { RetryPolicy = new ClientRetryPolicy(maxRetries: 0), NetworkTimeout = networkTimeout });
        (_model, _settings) = (model, settings);
        _metadata = new ImageGeneratorMetadata("a1111", endpoint, model);
    }

    /// <inheritdoc />
    public async Task<ImageGenerationResponse> GenerateAsync(ImageGenerationRequest request, ImageGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        if (request.OriginalImages?.Any() == true) throw new NotSupportedException("a1111: image edits (img2img) are not supported");
        var count = options?.Count ?? 1;
        using var message = _pipeline.CreateMessage();
        message.Apply(new RequestOptions { CancellationToken = cancellationToken, BufferResponse = false });
        message.Request.Method = "POST";
        message.Request.Uri = _txt2img;
        message.Request.Headers.Set("Content-Type", "application/json");
        message.Request.Content = BinaryContent.Create(BinaryData.FromString(Body(request.Prompt ?? "", count, options).ToJsonString()));
        await _pipeline.SendAsync(message);
        var response = message.Response!;
        if (response.IsError)
        {
            await response.BufferContentAsync(cancellationToken);
            throw new ClientResultException(response);
        }
        // Base64 costs 4 bytes per 3; a grid image may come on top of the batch.
        var limit = (count + 1L) * (ImageDecoder.MaxEncodedBytes / 3 * 4 + 4) + (1 << 20);
        return Parse(await BoundedRead.ReadAllAsync(response.ContentStream!, limit, "the a1111 answer", cancellationToken));
    }

    /// <summary>The txt2img request body.</summary>
    internal JsonObject Body(string prompt, int count, ImageGenerationOptions? options)
    {
        var body = new JsonObject
        {
            ["prompt"] = prompt,
            ["negative_prompt"] = _settings.NegativePrompt ?? "",
            ["seed"] = options?.AdditionalProperties?.TryGetValue<long>(ImageSampleGenerator.SeedProperty, out var seed) == true ? seed : -1,
            ["batch_size"] = count,
            ["n_iter"] = 1,
            ["send_images"] = true,
            ["save_images"] = false,
        };
        if (_settings.Steps is { } steps) body["steps"] = steps;
        if (_settings.CfgScale is { } cfg) body["cfg_scale"] = cfg;
        if (_settings.Sampler is { } sampler) body["sampler_name"] = sampler;
        if (options?.ImageSize is { } size) (body["width"], body["height"]) = (size.Width, size.Height);
        if ((options?.ModelId ?? _model) is { } model) body["override_settings"] = new JsonObject { ["sd_model_checkpoint"] = model };
        return body;
    }

    private static ImageGenerationResponse Parse(byte[] answer)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(answer); }
        catch (JsonException) { throw new InvalidDataException($"the a1111 answer is not JSON (it starts {ImageDecoder.Preview(answer, 40)})"); }
        using var _ = document;
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("images", out var images) || images.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException("the a1111 answer has no \"images\" list");
        var (first, seeds) = Info(root);
        List<AIContent> contents = [];
        foreach (var image in images.EnumerateArray().Skip(first))
        {
            var i = contents.Count;
            byte[] bytes;
            try { bytes = Convert.FromBase64String(image.GetString() ?? ""); }
            catch (Exception e) when (e is FormatException or InvalidOperationException)
            {
                throw new InvalidDataException($"image {i + 1} of the a1111 answer is not base64 text");
            }
            var content = new DataContent(bytes, ImageDecoder.MediaTypeOf(bytes) ?? "application/octet-stream");
            if (i < seeds.Count) content.AdditionalProperties = new() { [ImageSampleGenerator.SeedProperty] = seeds[i] };
            contents.Add(content);
        }
        return new ImageGenerationResponse(contents) { RawRepresentation = root.TryGetProperty("info", out var info) ? info.Clone() : null };
    }

    // info is metadata: an answer without it (or with an unreadable one) still has its images, only not their seeds.
    private static (int First, List<long> Seeds) Info(JsonElement root)
    {
        if (!root.TryGetProperty("info", out var text) || text.ValueKind != JsonValueKind.String) return (0, []);
        try
        {
            using var document = JsonDocument.Parse(text.GetString()!);
            var info = document.RootElement;
            var first = info.TryGetProperty("index_of_first_image", out var f) && f.TryGetInt32(out var n) && n >= 0 ? n : 0;
            List<long> seeds = info.TryGetProperty("all_seeds", out var all) && all.ValueKind == JsonValueKind.Array
                ? [.. all.EnumerateArray().Select(s => s.GetInt64())] : [];
            return (first, seeds);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException) { return (0, []); }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ImageGeneratorMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc />
    public void Dispose() { }
}
