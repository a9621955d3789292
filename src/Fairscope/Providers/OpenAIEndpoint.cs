using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Fairscope;

/// <summary>
/// Connects to any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI's v1 API, Ollama, vLLM,
/// llama.cpp server) through Microsoft.Extensions.AI's OpenAI adapter; <see cref="OpenAIImageEndpoint"/> does the
/// same for the images API. The SDK's own retries are turned off: <see cref="RetryPipeline"/> retries instead, the
/// same way for every provider.
/// </summary>
public static class OpenAIEndpoint
{
    /// <summary>Used when no --base-url is given.</summary>
    public const string DefaultBaseUrl = "https://api.openai.com/v1";

    /// <summary>The environment variable read for the key unless another is named.</summary>
    public const string DefaultApiKeyVariable = "OPENAI_API_KEY";

    /// <summary>Builds the chat client. The key is read from <paramref name="apiKeyVariable"/>; it may be absent
    /// only for endpoints on this machine or a private network, which usually need none.</summary>
    public static IChatClient CreateChatClient(string baseUrl, string model, string apiKeyVariable, RetryOptions retry) =>
        CreateClient(baseUrl, apiKeyVariable, retry).GetChatClient(model).AsIChatClient().AsBuilder().UseRetries(retry).Build();

    /// <summary>The SDK client for <paramref name="baseUrl"/> with the key rules above and the SDK's own retries off;
    /// chat and image providers both start from it.</summary>
    internal static OpenAIClient CreateClient(string baseUrl, string apiKeyVariable, RetryOptions retry)
    {
        var endpoint = ParseBaseUrl(baseUrl);
        var key = Environment.GetEnvironmentVariable(apiKeyVariable);
        if (string.IsNullOrEmpty(key))
        {
            if (!IsLocal(endpoint))
                throw new FairscopeException($"{endpoint.Host} needs an API key: set {apiKeyVariable} (or name another variable with --api-key-env)");
            key = "no-key"; // local servers ignore it, but the SDK requires a value
        }
        else if (endpoint.Scheme == "http" && !IsLocal(endpoint))
            throw new FairscopeException($"refusing to send the key in {apiKeyVariable} over unencrypted http to {endpoint.Host}; use https, or unset the variable if the server needs no key");
        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = retry.RequestTimeout + TimeSpan.FromSeconds(5),
        };
        return new OpenAIClient(new ApiKeyCredential(key), options);
    }

    /// <summary>Validates a base URL: http(s), and no credentials in it (they would end up in the run store and reports).</summary>
    public static Uri ParseBaseUrl(string baseUrl)
    {
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
            throw new FairscopeException($"--base-url '{baseUrl}' is not an http(s) URL; e.g. http://127.0.0.1:11434/v1");
        if (endpoint.UserInfo.Length > 0 || endpoint.Query.Length > 0)
            throw new FairscopeException("--base-url must not carry credentials or a query string; put the key in an environment variable (--api-key-env)");
        return endpoint;
    }

    /// <summary>True for loopback, private-range addresses and single-label or .local host names.</summary>
    internal static bool IsLocal(Uri endpoint)
    {
        if (endpoint.IsLoopback) return true;
        if (IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var ip))
        {
            var b = ip.MapToIPv4().GetAddressBytes();
            return b[0] == 10 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168);
        }
        return !endpoint.Host.Contains('.') || endpoint.Host.EndsWith(".local", StringComparison.OrdinalIgnoreCase);
    }
}
