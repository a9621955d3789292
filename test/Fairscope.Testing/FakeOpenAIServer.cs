using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Fairscope.Testing;

/// <summary>A chat-completions request as the fake server saw it.</summary>
/// <param name="ArrivedAt">Stopwatch timestamp of arrival.</param>
/// <param name="Prompt">The last user message's text (its text parts joined by newlines when it has several parts).</param>
/// <param name="Authorization">The Authorization header, if any.</param>
/// <param name="Images">The image URLs (data URLs for inline images) of every message's image parts, in order.</param>
/// <param name="Messages">Every message's role and text, in order.</param>
public sealed record FakeRequest(string Model, string Prompt, long? Seed, int Number, long ArrivedAt = 0, string? Authorization = null,
    IReadOnlyList<string>? Images = null, IReadOnlyList<(string Role, string Text)>? Messages = null);

/// <summary>What the fake server does with a request.</summary>
public abstract record FakeReply
{
    /// <summary>A normal completion with this text.</summary>
    public sealed record Text(string Content) : FakeReply;
    /// <summary>An HTTP error status, optionally with Retry-After seconds.</summary>
    public sealed record Status(int Code, int? RetryAfterSeconds = null, string Body = "{\"error\":{\"message\":\"fake failure\"}}") : FakeReply;
    /// <summary>Closes the connection without answering.</summary>
    public sealed record Drop : FakeReply;
    /// <summary>200 OK with a body that is not JSON.</summary>
    public sealed record Garbage : FakeReply;
    /// <summary>200 OK with an empty choices list.</summary>
    public sealed record NoChoices : FakeReply;
}

/// <summary>
/// An OpenAI-compatible <c>/v1/chat/completions</c> server on 127.0.0.1 (Kestrel, random port) whose answers a
/// test scripts. Dispose stops it.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<FakeRequest, FakeReply> _script;
    private readonly TimeSpan _latency;
    private int _requests;
    private long _heldTicks;

    /// <summary>Every request received, in arrival order.</summary>
    public ConcurrentQueue<FakeRequest> Received { get; } = new();

    /// <summary>Requests received so far and the total time the server held the answered ones (its real latency: timers overshoot).</summary>
    public (int Requests, TimeSpan Held) Totals => (Volatile.Read(ref _requests), TimeSpan.FromTicks(Interlocked.Read(ref _heldTicks)));

    /// <summary>Base URL to pass as --base-url, ending in /v1.</summary>
    public string BaseUrl { get; }

    private FakeOpenAIServer(WebApplication app, string root, Func<FakeRequest, FakeReply> script, TimeSpan latency)
    {
        _app = app;
        _script = script;
        _latency = latency;
        BaseUrl = root + "/v1";
    }

    /// <summary>Starts a server answering with <paramref name="script"/> after <paramref name="latency"/>.</summary>
    public static async Task<FakeOpenAIServer> StartAsync(Func<FakeRequest, FakeReply> script, TimeSpan latency = default)
    {
        FakeOpenAIServer? server = null;
        var (app, root) = await LoopbackApp.StartAsync(app => app.MapPost("/v1/chat/completions", (HttpContext context) => server!.HandleAsync(context)));
        server = new FakeOpenAIServer(app, root, script, latency);
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try { await AnswerAsync(context); }
        finally { Interlocked.Add(ref _heldTicks, System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks); }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var root = body.RootElement;
        var messages = root.GetProperty("messages").EnumerateArray()
            .Select(m => (Role: m.GetProperty("role").GetString(), Content: ReadContent(m.TryGetProperty("content", out var c) ? c : default))).ToList();
        var prompt = messages.Last(m => m.Role == "user").Content.Text;
        var images = messages.SelectMany(m => m.Content.Images).ToList();
        long? seed = root.TryGetProperty("seed", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null;
        var request = new FakeRequest(root.GetProperty("model").GetString()!, prompt, seed, Interlocked.Increment(ref _requests),
            System.Diagnostics.Stopwatch.GetTimestamp(), context.Request.Headers.Authorization.FirstOrDefault(), images,
            [.. messages.Select(m => (m.Role!, m.Content.Text))]);
        Received.Enqueue(request);
        if (_latency > TimeSpan.Zero) await Task.Delay(_latency);
        switch (_script(request))
        {
            case FakeReply.Text text:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(JsonSerializer.Serialize(new
                {
                    id = $"chatcmpl-{request.Number}", @object = "chat.completion", created = 1_700_000_000, model = request.Model,
                    choices = new[] { new { index = 0, message = new { role = "assistant", content = text.Content }, finish_reason = "stop" } },
                    usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
                }));
                break;
            case FakeReply.Status status:
                await LoopbackApp.WriteStatusAsync(context, status.Code, status.RetryAfterSeconds, status.Body);
                break;
            case FakeReply.Drop:
                context.Abort();
                break;
            case FakeReply.Garbage:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("<html>this is not json</html>");
                break;
            case FakeReply.NoChoices:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(JsonSerializer.Serialize(new { id = "x", @object = "chat.completion", created = 1_700_000_000, model = request.Model, choices = Array.Empty<object>() }));
                break;
        }
    }

    // A message's content is a string, an array of parts ({"type": "text", "text"}, {"type": "image_url", "image_url": {"url"}}),
    // or absent or null (an assistant's tool call).
    private static (string Text, IReadOnlyList<string> Images) ReadContent(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String) return (content.GetString()!, []);
        if (content.ValueKind != JsonValueKind.Array) return ("", []);
        var parts = content.EnumerateArray().ToList();
        return (string.Join("\n", parts.Where(p => p.GetProperty("type").GetString() == "text").Select(p => p.GetProperty("text").GetString())),
            parts.Where(p => p.GetProperty("type").GetString() == "image_url").Select(p => p.GetProperty("image_url").GetProperty("url").GetString()!).ToList());
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
