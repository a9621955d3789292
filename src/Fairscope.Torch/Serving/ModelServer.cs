using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fairscope;

/// <summary>
/// An OpenAI-compatible HTTP server over a <see cref="LanguageModel"/> (<c>fairscope serve</c>):
/// <c>POST /v1/chat/completions</c>, <c>POST /v1/completions</c> and <c>GET /v1/models</c>.
/// <list type="bullet">
/// <item>Chat messages become one prompt (see <see cref="ServingRequest"/>); the model continues it as text.</item>
/// <item>Choice i of n is sampled with seed + i; without a seed a random one is drawn. Equal requests with a seed get equal answers,
/// and a chat request with seed s continues the same prompt as <c>--provider builtin</c> does with sample seed s, as long
/// as the prompt and max_tokens fit the context together.</item>
/// <item>The prompt keeps its last context length + 1 − max_tokens tokens, so every generated token is scored with the
/// whole context it was sampled from; log-probabilities are the model's exact ones (temperature 1, before top-p).</item>
/// <item>Streaming sends the same text (same seed, same tokens) one token per server-sent event after the choice has
/// been generated (inference is not interleaved with the network); <c>n</c> > 1 streams the choices one after another.</item>
/// <item>The model name is echoed, not checked. Requests run concurrently; the model serialises inference.</item>
/// <item>Invalid requests get 400 with an OpenAI-style error; anything unexpected 500 with a generic message, never a stack trace.</item>
/// </list>
/// Dispose stops the server; the model stays the caller's.
/// </summary>
public sealed class ModelServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };
    private readonly WebApplication _app;
    private readonly LanguageModel _model;
    private readonly TokenTexts _texts;
    private readonly ILogger? _errors;

    /// <summary>The id /v1/models lists and answers carry when a request names no model.</summary>
    public string ModelId { get; }

    /// <summary>The base URL clients use, ending in /v1.</summary>
    public string BaseUrl { get; private set; } = "";

    private ModelServer(WebApplication app, LanguageModel model, string modelId, TextWriter? errorLog)
    {
        (_app, _model, ModelId) = (app, model, modelId);
        _texts = new TokenTexts(model.Tokenizer);
        _errors = errorLog is null ? null : new TextWriterLogger(errorLog);
    }

    /// <summary>Starts serving <paramref name="model"/> on <paramref name="address"/>:<paramref name="port"/> (0: any free port).
    /// Unexpected errors are written to <paramref name="errorLog"/> (one line each) when given.</summary>
    public static async Task<ModelServer> StartAsync(LanguageModel model, string modelId, IPAddress address, int port,
        TextWriter? errorLog = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, PassiveLifetime>(); // Ctrl-C belongs to the caller, not to the host
        builder.WebHost.UseKestrel(o => o.Listen(address, port));
        var app = builder.Build();
        // Made before the host starts, so a request that arrives at once finds it (the base URL follows the bind).
        var server = new ModelServer(app, model, modelId, errorLog);
        app.MapPost("/v1/chat/completions", (HttpContext context) => server.HandleAsync(context, chat: true));
        app.MapPost("/v1/completions", (HttpContext context) => server.HandleAsync(context, chat: false));
        app.MapGet("/v1/models", (HttpContext context) => server.ModelsAsync(context));
        app.MapFallback((HttpContext context) => ErrorAsync(context, 404, $"no route for {context.Request.Method} {context.Request.Path}", "invalid_request_error", null));
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = bound.TrimEnd('/') + "/v1";
        return server;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task ModelsAsync(HttpContext context) => WriteJsonAsync(context, 200, new JsonObject
    {
        ["object"] = "list",
        ["data"] = new JsonArray(new JsonObject { ["id"] = ModelId, ["object"] = "model", ["created"] = 0, ["owned_by"] = "fairscope" }),
    });

    private async Task HandleAsync(HttpContext context, bool chat)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var request = ServingRequest.Parse(body.GetBuffer().AsSpan(0, (int)body.Length), chat, _model.Model.Config.ContextLength);
            var prompt = Context(request);
            var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var id = (chat ? "chatcmpl-" : "cmpl-") + Guid.NewGuid().ToString("N");
            var model = request.Model ?? ModelId;
            if (request.Stream)
            {
                await StreamAsync(context, request, prompt, id, created, model);
                return;
            }
            var choices = Enumerable.Range(0, request.Choices).Select(i => ServedChoice.Generate(_model, prompt, request, i)).ToList();
            int completionTokens = choices.Sum(c => c.GeneratedTokens);
            await WriteJsonAsync(context, 200, new JsonObject
            {
                ["id"] = id,
                ["object"] = chat ? "chat.completion" : "text_completion",
                ["created"] = created,
                ["model"] = model,
                ["choices"] = new JsonArray([.. choices.Select(c => chat ? ChatChoice(c, request) : TextChoice(c, request, request.Prompt.Length))]),
                ["usage"] = new JsonObject
                {
                    ["prompt_tokens"] = prompt.Length,
                    ["completion_tokens"] = completionTokens,
                    ["total_tokens"] = prompt.Length + completionTokens,
                },
            });
        }
        catch (InvalidServingRequestException e)
        {
            await ErrorAsync(context, 400, e.Message, "invalid_request_error", e.Param);
        }
        catch (BadHttpRequestException e)
        {
            await ErrorAsync(context, e.StatusCode, "the request could not be read: " + e.Message.Split('\n')[0], "invalid_request_error", null);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // the client went away
        }
        catch (Exception e)
        {
            _errors?.LogError("{Method} {Path}: {Type}: {Message}", context.Request.Method, context.Request.Path, e.GetType().Name, e.Message.Split('\n')[0]);
            if (context.Response.HasStarted) context.Abort();
            else await ErrorAsync(context, 500, "the server failed to process the request", "server_error", null);
        }
    }

    // The prompt's token ids as the model sees them.
    private int[] Context(ServingRequest request)
    {
        var ids = _model.Tokenizer.Encode(request.Prompt);
        if (ids.Length == 0 && _model.Tokenizer.EndOfTextId is { } start) ids = [start]; // as LanguageModel.Complete does
        if (ids.Length == 0) throw new InvalidServingRequestException("the prompt is empty and the model's tokenizer has no end-of-text token to start from", request.Chat ? "messages" : "prompt");
        int keep = _model.Model.Config.ContextLength + 1 - request.MaxTokens;
        return ids.Length <= keep ? ids : ids[^keep..];
    }

    private async Task StreamAsync(HttpContext context, ServingRequest request, int[] prompt, string id, long created, string model)
    {
        var response = context.Response;
        var cancel = context.RequestAborted;
        bool headersSent = false;
        async Task Send(JsonObject choice)
        {
            if (!headersSent)
            {
                response.StatusCode = 200;
                response.ContentType = "text/event-stream";
                response.Headers.CacheControl = "no-cache";
                headersSent = true;
            }
            var chunk = new JsonObject
            {
                ["id"] = id,
                ["object"] = request.Chat ? "chat.completion.chunk" : "text_completion",
                ["created"] = created,
                ["model"] = model,
                ["choices"] = new JsonArray(choice),
            };
            await response.WriteAsync("data: " + chunk.ToJsonString(Compact) + "\n\n", cancel);
            await response.Body.FlushAsync(cancel);
        }

        for (int i = 0; i < request.Choices; i++)
        {
            var choice = ServedChoice.Generate(_model, prompt, request, i); // before the headers: a failure can still be a 500
            if (request.Chat) await Send(new JsonObject { ["index"] = i, ["delta"] = new JsonObject { ["role"] = "assistant", ["content"] = "" }, ["logprobs"] = null, ["finish_reason"] = null });
            int offset = request.Prompt.Length;
            for (int t = 0; t < choice.Tokens.Length; t++)
            {
                var piece = choice.Pieces[t];
                if (piece.Length == 0 && !request.LogProbabilities) continue;
                var logprobs = request.LogProbabilities ? (request.Chat ? ChatLogProbs(choice, request, t, t + 1) : TextLogProbs(choice, request, t, t + 1, offset)) : null;
                await Send(request.Chat
                    ? new JsonObject { ["index"] = i, ["delta"] = new JsonObject { ["content"] = piece }, ["logprobs"] = logprobs, ["finish_reason"] = null }
                    : new JsonObject { ["index"] = i, ["text"] = piece, ["logprobs"] = logprobs, ["finish_reason"] = null });
                offset += piece.Length;
            }
            if (choice.Tail.Length > 0)
                await Send(request.Chat
                    ? new JsonObject { ["index"] = i, ["delta"] = new JsonObject { ["content"] = choice.Tail }, ["logprobs"] = null, ["finish_reason"] = null }
                    : new JsonObject { ["index"] = i, ["text"] = choice.Tail, ["logprobs"] = null, ["finish_reason"] = null });
            await Send(request.Chat
                ? new JsonObject { ["index"] = i, ["delta"] = new JsonObject(), ["logprobs"] = null, ["finish_reason"] = choice.FinishReason }
                : new JsonObject { ["index"] = i, ["text"] = "", ["logprobs"] = null, ["finish_reason"] = choice.FinishReason });
        }
        await response.WriteAsync("data: [DONE]\n\n", cancel);
        await response.Body.FlushAsync(cancel);
    }

    private JsonObject ChatChoice(ServedChoice choice, ServingRequest request) => new()
    {
        ["index"] = choice.Index,
        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = choice.Text, ["refusal"] = null },
        ["logprobs"] = request.LogProbabilities ? ChatLogProbs(choice, request, 0, choice.Tokens.Length) : null,
        ["finish_reason"] = choice.FinishReason,
    };

    private JsonObject TextChoice(ServedChoice choice, ServingRequest request, int promptLength) => new()
    {
        ["index"] = choice.Index,
        ["text"] = choice.Text,
        ["logprobs"] = request.LogProbabilities ? TextLogProbs(choice, request, 0, choice.Tokens.Length, promptLength) : null,
        ["finish_reason"] = choice.FinishReason,
    };

    // {"content": [{"token", "logprob", "bytes", "top_logprobs": [{"token", "logprob", "bytes"}]}], "refusal": null} for tokens [from, to).
    private JsonObject ChatLogProbs(ServedChoice choice, ServingRequest request, int from, int to)
    {
        JsonObject Entry(int token, double logprob) => new()
        {
            ["token"] = _texts.Text(token),
            ["logprob"] = Finite(logprob),
            ["bytes"] = new JsonArray([.. _texts.Bytes(token).Select(b => (JsonNode)(int)b)]),
        };
        var content = new JsonArray();
        for (int t = from; t < to; t++)
        {
            var entry = Entry(choice.Tokens[t], choice.LogProbabilities[t]);
            entry["top_logprobs"] = new JsonArray([.. choice.Top[t].Take(request.TopLogProbabilities).Select(x => (JsonNode)Entry(x.Token, x.LogProbability))]);
            content.Add(entry);
        }
        return new JsonObject { ["content"] = content, ["refusal"] = null };
    }

    // {"tokens", "token_logprobs", "top_logprobs": [{token: logprob}] or null, "text_offset"} for tokens [from, to).
    private JsonObject TextLogProbs(ServedChoice choice, ServingRequest request, int from, int to, int offset)
    {
        JsonArray tokens = [], logprobs = [], offsets = [];
        JsonArray? top = request.TopLogProbabilities > 0 ? [] : null;
        for (int t = from; t < to; t++)
        {
            tokens.Add(_texts.Text(choice.Tokens[t]));
            logprobs.Add(Finite(choice.LogProbabilities[t]));
            offsets.Add(offset);
            offset += choice.Pieces[t].Length;
            if (top is null) continue;
            var alternatives = new JsonObject();
            foreach (var (token, logprob) in choice.Top[t].Take(request.TopLogProbabilities))
                alternatives.TryAdd(_texts.Text(token), Finite(logprob)); // two partial-character tokens may both read U+FFFD
            top.Add(alternatives);
        }
        return new JsonObject { ["tokens"] = tokens, ["token_logprobs"] = logprobs, ["top_logprobs"] = top, ["text_offset"] = offsets };
    }

    // JSON has no -Infinity: a token the model gives probability 0 reads -9999, as OpenAI reports it.
    private static double Finite(double logprob) => double.IsFinite(logprob) ? logprob : -9999.0;

    private static Task ErrorAsync(HttpContext context, int status, string message, string type, string? param) =>
        WriteJsonAsync(context, status, new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = null },
        });

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(Compact), Encoding.UTF8);
    }

    // Keeps the host from handling Ctrl-C and SIGTERM itself: the command that started the server stops it.
    private sealed class PassiveLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    // One line per unexpected error, without the stack trace.
    private sealed class TextWriterLogger(TextWriter writer) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (writer) writer.WriteLine($"fairscope serve: {formatter(state, exception)}");
        }
    }
}
