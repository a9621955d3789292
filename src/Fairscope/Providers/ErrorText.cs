using System.ClientModel;
using System.Net.Http;
using Polly.Timeout;

namespace Fairscope;

/// <summary>One-line descriptions of generation failures, for the store, the progress line and the report.</summary>
public static partial class ErrorText
{
    /// <summary>Describes <paramref name="e"/> in one line.</summary>
    public static string Describe(Exception e)
    {
        var text = e switch
        {
            ClientResultException { Status: > 0 } c => $"HTTP {c.Status}: {Body(c)}",
            ClientResultException { InnerException: { } inner } => Describe(inner),
            TimeoutRejectedException t => $"request timed out after {t.Timeout.TotalSeconds:0.#} s",
            HttpRequestException h => $"{h.Message}{(h.InnerException is { } i ? " (" + i.Message + ")" : "")}",
            _ => e.Message,
        };
        text = string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        text = SecretLike().Replace(text, "[redacted]"); // servers echo (partly masked) keys in 401 bodies
        return text.Length <= 400 ? text : text[..397] + "...";
    }

    /// <summary>True when the failure says the endpoint or the request itself is wrong (unreachable, bad key, unknown
    /// model or path, a parameter it rejects: any 4xx but 408 and 429), so on a first request the run should stop
    /// instead of recording the same failure for every sample.</summary>
    public static bool IsEndpointFault(Exception e) => e switch
    {
        ClientResultException { Status: >= 400 and < 500 and not 408 and not 429 } => true,
        ClientResultException { Status: 0, InnerException: { } inner } => IsEndpointFault(inner),
        _ => IsUnreachable(e),
    };

    /// <summary>True when no connection could be made at all (refused, unknown host, TLS failure).</summary>
    public static bool IsUnreachable(Exception e) => e switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError } => true,
        ClientResultException { Status: 0, InnerException: { } inner } => IsUnreachable(inner),
        _ => e.InnerException is { } inner && IsUnreachable(inner),
    };

    private static string Body(ClientResultException c)
    {
        var body = c.GetRawResponse()?.Content?.ToString();
        return string.IsNullOrWhiteSpace(body) ? c.Message : body.Trim();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(?:sk-[\w*.-]{6,}|Bearer\s+\S+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex SecretLike();
}
