namespace Fairscope;

/// <summary>How requests are retried: exponential backoff with jitter on 429, 5xx, timeouts and dropped
/// connections, honouring the server's Retry-After (capped at <see cref="MaxDelay"/>).</summary>
/// <param name="MaxRetries">Retries after the first attempt.</param>
/// <param name="BaseDelay">First backoff; doubles with each retry, with jitter.</param>
/// <param name="MaxDelay">Longest wait between attempts, Retry-After included.</param>
/// <param name="RequestTimeout">Limit for one attempt.</param>
public sealed record RetryOptions(int MaxRetries, TimeSpan BaseDelay, TimeSpan MaxDelay, TimeSpan RequestTimeout)
{
    /// <summary>Six retries from 0.5 s up to 30 s, 120 s per attempt.</summary>
    public static RetryOptions Default { get; } = new(6, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(120));
}
