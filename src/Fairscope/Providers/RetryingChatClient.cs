using System.ClientModel;
using System.Globalization;
using Microsoft.Extensions.AI;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Fairscope;

/// <summary>
/// Retries transient failures of the inner client with a Polly pipeline (per-attempt timeout inside
/// exponential backoff with jitter). A connection that cannot be made at all is retried only after the
/// endpoint has answered once, so a wrong URL fails at once while a busy server that drops a connection
/// mid-run is waited for.
/// </summary>
public sealed class RetryingChatClient : DelegatingChatClient
{
    /// <summary>Key in <see cref="ChatResponse.AdditionalProperties"/> and <see cref="Exception.Data"/> holding the attempt count.</summary>
    public const string AttemptsProperty = "fairscope.attempts";

    private readonly ResiliencePipeline _pipeline;
    private volatile bool _answeredOnce;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    public RetryingChatClient(IChatClient innerClient, RetryOptions options) : base(innerClient)
    {
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(options.MaxRetries > 0 && args.Outcome.Exception is { } e && IsTransient(e)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Exception) is { } wait
                    ? (TimeSpan?)TimeSpan.FromTicks(Math.Min(wait.Ticks, options.MaxDelay.Ticks)) : null),
            })
            .AddTimeout(options.RequestTimeout)
            .Build();
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var attempts = 0;
        try
        {
            var response = await _pipeline.ExecuteAsync(async ct =>
            {
                attempts++;
                return await base.GetResponseAsync(messages, options, ct);
            }, cancellationToken);
            _answeredOnce = true;
            (response.AdditionalProperties ??= [])[AttemptsProperty] = attempts;
            return response;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            e.Data[AttemptsProperty] = attempts;
            throw;
        }
    }

    private bool IsTransient(Exception e)
    {
        if (e is ClientResultException { Status: > 0 }) _answeredOnce = true; // an HTTP answer, even an error, proves the endpoint exists
        if (ErrorText.IsUnreachable(e)) return _answeredOnce;
        return e switch
        {
            TimeoutRejectedException => true,
            ClientResultException { Status: 408 or 429 or >= 500 } => true,
            ClientResultException { Status: 0, InnerException: { } inner } => IsTransient(inner),
            HttpRequestException or IOException => true,
            _ => e.InnerException is { } inner && IsTransient(inner),
        };
    }

    /// <summary>The server's Retry-After (seconds or an HTTP date), if the failure carried one.</summary>
    internal static TimeSpan? RetryAfter(Exception? e)
    {
        if ((e as ClientResultException)?.GetRawResponse() is not { } response
            || !response.Headers.TryGetValue("Retry-After", out var value) || value is null) return null;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            return TimeSpan.FromSeconds(seconds);
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? TimeSpan.FromTicks(Math.Max(0, (date - DateTimeOffset.UtcNow).Ticks)) : null;
    }
}
