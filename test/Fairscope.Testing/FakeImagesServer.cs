using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Fairscope.Testing;

/// <summary>An image-generation request as the fake server saw it. <see cref="Api"/> is <c>openai</c> or <c>a1111</c>;
/// <see cref="Count"/> is n or batch_size; fields the request lacked are null; <see cref="Body"/> is the raw JSON.</summary>
/// <param name="Number">1-based arrival number across both APIs.</param>
public sealed record FakeImageRequest(
    string Api,
    int Number,
    string Prompt,
    long? Seed,
    int Count,
    string? Model,
    string? Size,
    string? Quality,
    string? ResponseFormat,
    string? NegativePrompt,
    int? Steps,
    double? CfgScale,
    string? Sampler,
    int? Width,
    int? Height,
    string? Authorization,
    string Body);

/// <summary>What the fake images server does with a request.</summary>
public abstract record FakeImageReply
{
    /// <summary>These images. openai: as b64_json, or with <paramref name="AsUrl"/> as URLs served at <c>/files/{id}</c> with
    /// <paramref name="ContentType"/> (chunked, no Content-Length). a1111: base64 in <c>images</c> with <c>all_seeds</c>
    /// (<paramref name="Seeds"/>, default the request's seed counting up) and, when <paramref name="Grid"/> is given, that
    /// image first with <c>index_of_first_image</c> 1.</summary>
    public sealed record Images(IReadOnlyList<byte[]> Data, bool AsUrl = false, string ContentType = "image/png",
        IReadOnlyList<long>? Seeds = null, byte[]? Grid = null) : FakeImageReply;
    /// <summary>An HTTP error status, optionally with Retry-After seconds.</summary>
    public sealed record Status(int Code, int? RetryAfterSeconds = null, string Body = "{\"error\":{\"message\":\"fake failure\"}}") : FakeImageReply;
    /// <summary>200 OK with a body that is not JSON.</summary>
    public sealed record Garbage : FakeImageReply;
    /// <summary>200 OK with an empty data (openai) or images (a1111) list.</summary>
    public sealed record Empty : FakeImageReply;
}

/// <summary>
/// A fake image-generation server on 127.0.0.1 (Kestrel, random port) speaking the OpenAI images API
/// (<c>POST /v1/images/generations</c>, with <c>GET /files/{id}</c> for URL answers) and the A1111/Forge API
/// (<c>POST /sdapi/v1/txt2img</c>). A test scripts each answer with a function of the request (a queue is a closure
/// over one) and reads what was asked in <see cref="Received"/>. Dispose stops it.
/// </summary>
public sealed class FakeImagesServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<FakeImageRequest, FakeImageReply> _script;
    private readonly ConcurrentDictionary<string, (byte[] Bytes, string ContentType)> _files = new();
    private int _requests, _downloads;

    /// <summary>Every generation request received, in arrival order.</summary>
    public ConcurrentQueue<FakeImageRequest> Received { get; } = new();

    /// <summary>Downloads served from <c>/files/{id}</c>.</summary>
    public int Downloads => Volatile.Read(ref _downloads);

    /// <summary>The server's root, e.g. http://127.0.0.1:5123: the a1111 base URL.</summary>
    public string Root { get; }

    /// <summary>The OpenAI base URL (<see cref="Root"/>/v1).</summary>
    public string OpenAIBaseUrl => Root + "/v1";

    private FakeImagesServer(WebApplication app, string root, Func<FakeImageRequest, FakeImageReply> script) => (_app, Root, _script) = (app, root, script);

    /// <summary>Starts a server answering with <paramref name="script"/>.</summary>
    public static async Task<FakeImagesServer> StartAsync(Func<FakeImageRequest, FakeImageReply> script)
    {
        FakeImagesServer? server = null;
        var (app, root) = await LoopbackApp.StartAsync(app =>
        {
            app.MapPost("/v1/images/generations", (HttpContext context) => server!.GenerateAsync(context, "openai"));
            app.MapPost("/sdapi/v1/txt2img", (HttpContext context) => server!.GenerateAsync(context, "a1111"));
            app.MapGet("/files/{id}", (HttpContext context, string id) => server!.ServeFileAsync(context, id));
        });
        server = new FakeImagesServer(app, root, script);
        return server;
    }

    private async Task GenerateAsync(HttpContext context, string api)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var root = JsonDocument.Parse(body).RootElement;
        var request = new FakeImageRequest(api, Interlocked.Increment(ref _requests), String(root, "prompt") ?? "", Long(root, "seed"),
            (int)(Long(root, api == "openai" ? "n" : "batch_size") ?? 1),
            String(root, "model") ?? (root.TryGetProperty("override_settings", out var o) ? String(o, "sd_model_checkpoint") : null),
            String(root, "size"), String(root, "quality"), String(root, "response_format"), String(root, "negative_prompt"),
            (int?)Long(root, "steps"), root.TryGetProperty("cfg_scale", out var cfg) ? cfg.GetDouble() : null, String(root, "sampler_name"),
            (int?)Long(root, "width"), (int?)Long(root, "height"), context.Request.Headers.Authorization.FirstOrDefault(), body);
        Received.Enqueue(request);
        var reply = _script(request);
        switch (reply)
        {
            case FakeImageReply.Status status:
                await LoopbackApp.WriteStatusAsync(context, status.Code, status.RetryAfterSeconds, status.Body);
                return;
            case FakeImageReply.Garbage:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("<html>this is not json</html>");
                return;
        }
        var images = reply is FakeImageReply.Images i ? i : new FakeImageReply.Images([]);
        context.Response.ContentType = "application/json";
        if (api == "openai")
        {
            var data = images.Data.Select(bytes => images.AsUrl ? new Dictionary<string, string> { ["url"] = $"{Root}/files/{Publish(bytes, images.ContentType)}?sig=secret" }
                : new Dictionary<string, string> { ["b64_json"] = Convert.ToBase64String(bytes) });
            await context.Response.WriteAsync(JsonSerializer.Serialize(new { created = 1_700_000_000, data }));
            return;
        }
        var seed = request.Seed is { } s and >= 0 ? s : 1234;
        var info = JsonSerializer.Serialize(new
        {
            seed,
            all_seeds = images.Seeds ?? [.. images.Data.Select((_, k) => seed + k)],
            index_of_first_image = images.Grid is null ? 0 : 1,
        });
        var encoded = (images.Grid is null ? images.Data : [images.Grid, .. images.Data]).Select(Convert.ToBase64String);
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { images = encoded, parameters = new { }, info }));
    }

    private string Publish(byte[] bytes, string contentType)
    {
        var id = Guid.NewGuid().ToString("N");
        _files[id] = (bytes, contentType);
        return id;
    }

    private async Task ServeFileAsync(HttpContext context, string id)
    {
        if (!_files.TryGetValue(id, out var file))
        {
            context.Response.StatusCode = 404;
            return;
        }
        Interlocked.Increment(ref _downloads);
        context.Response.ContentType = file.ContentType;
        await context.Response.Body.WriteAsync(file.Bytes);
    }

    private static string? String(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
