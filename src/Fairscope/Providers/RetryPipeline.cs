using System.ClientModel;
using System.Globalization;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Fairscope;

/// <summary>
/// The retry policy shared by every provider layer (<see cref="RetryingChatClient"/>, <see cref="RetryingImageGenerator"/>):
/// a Polly pipeline with a per-attempt timeout inside exponential backoff with jitter, retrying 408, 429, 5xx, timeouts
/// and dropped connections and honouring Retry-After. A connection that cannot be made at all is retried only after the
/// endpoint has answered once, so a wrong URL fails at once while a busy server that drops a connection mid-run is
/// waited for; one instance therefore belongs to one endpoint.
/// </summary>
public sealed class RetryPipeline
{
    /// <summary>Key under which a response (or <see cref="Exception.Data"/> of a failure) carries the attempt count.</summary>
    public const string AttemptsProperty = "fairscope.attempts";

    private readonly ResiliencePipeline _pipeline;
    private volatile bool _answeredOnce;

    /// <summary>Builds the pipeline for <paramref name="options"/>.</summary>
    public RetryPipeline(RetryOptions options)
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

    /// <summary>Runs <paramref name="operation"/> until it succeeds or fails for good; returns its result and the
    /// attempts made. A final failure carries the attempt count in its <see cref="Exception.Data"/>.</summary>
    public async Task<(T Result, int Attempts)> ExecuteAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            var result = await _pipeline.ExecuteAsync(async ct =>
            {
                attempts++;
                return await operation(ct);
            }, cancellationToken);
            _answeredOnce = true;
            return (result, attempts);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            e.Data[AttemptsProperty] = attempts;
            throw;
        }
    }

    /// <summary>Attempts a retrying client recorded in a chat response's properties; 1 when it recorded none.</summary>
    public static int AttemptsOf(Microsoft.Extensions.AI.ChatResponse response) =>
        response.AdditionalProperties?.TryGetValue(AttemptsProperty, out var a) == true && a is int n ? n : 1;

    /// <summary>Attempts recorded on a failure by <see cref="ExecuteAsync{T}"/>; 1 when none were.</summary>
    public static int AttemptsOf(Exception e) => e.Data[AttemptsProperty] as int? ?? 1;

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
