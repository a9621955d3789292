using System.ClientModel;
using System.Net.Http;
using Polly.Timeout;

namespace Fairscope;

/// <summary>One-line descriptions of generation failures, for the store, the progress line and the report.</summary>
public static class ErrorText
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
        return text.Length <= 400 ? text : text[..397] + "...";
    }

    /// <summary>True when the failure says the endpoint itself is wrong (unreachable, bad key, unknown model or path),
    /// so that no request can succeed and the run should stop instead of recording failures.</summary>
    public static bool IsEndpointFault(Exception e) => e switch
    {
        ClientResultException { Status: 401 or 403 or 404 } => true,
        ClientResultException { Status: 0, InnerException: { } inner } => IsEndpointFault(inner),
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError } => true,
        _ => false,
    };

    private static string Body(ClientResultException c)
    {
        var body = c.GetRawResponse()?.Content?.ToString();
        return string.IsNullOrWhiteSpace(body) ? c.Message : body.Trim();
    }
}
