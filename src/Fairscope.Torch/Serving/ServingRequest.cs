using System.Text;
using System.Text.Json;

namespace Fairscope;

/// <summary>A request the server refuses with 400 and an OpenAI-style error naming <see cref="Param"/>.</summary>
public sealed class InvalidServingRequestException(string message, string? param = null) : Exception(message)
{
    /// <summary>The request field at fault, or null.</summary>
    public string? Param { get; } = param;
}

/// <summary>
/// A validated <c>/v1/chat/completions</c> or <c>/v1/completions</c> request. Chat messages become one prompt: their
/// contents joined with newlines, in order, whatever the role (a base model continues text; a system message first is
/// the same prompt <c>--provider builtin</c> builds from a system prompt and a user prompt). Fields this server does not
/// use (user, frequency_penalty, stream_options, ...) are ignored.
/// </summary>
public sealed record ServingRequest(
    bool Chat,
    string? Model,
    string Prompt,
    int MaxTokens,
    float Temperature,
    float TopP,
    long Seed,
    int Choices,
    bool LogProbabilities,
    int TopLogProbabilities,
    bool Stream,
    IReadOnlyList<string> Stop)
{
    /// <summary>max_tokens when the request gives none (capped at the context length).</summary>
    public const int DefaultMaxTokens = 64;

    /// <summary>The most choices (n) one request may ask for.</summary>
    public const int MaxChoices = 8;

    /// <summary>The most top log-probabilities per token.</summary>
    public const int MaxTopLogProbabilities = 5;

    /// <summary>Roles a chat message may have.</summary>
    public static readonly IReadOnlySet<string> Roles = new HashSet<string> { "system", "developer", "user", "assistant", "tool" };

    /// <summary>Parses and validates a request body.</summary>
    /// <exception cref="InvalidServingRequestException">The body is not JSON, or a field is missing, mistyped or out of range.</exception>
    public static ServingRequest Parse(ReadOnlySpan<byte> body, bool chat, int contextLength)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidServingRequestException($"the request body is not valid JSON: {e.Message.Split('\n')[0]}");
        }
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidServingRequestException("the request body must be a JSON object");

        var model = OptionalString(root, "model");
        var prompt = chat ? ChatPrompt(root) : CompletionPrompt(root);
        int maxTokens = OptionalInt(root, "max_completion_tokens") ?? OptionalInt(root, "max_tokens") ?? Math.Min(DefaultMaxTokens, contextLength);
        string maxParam = Has(root, "max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        if (maxTokens < 1 || maxTokens > contextLength)
            throw new InvalidServingRequestException($"{maxParam} must be between 1 and the model's context length {contextLength}, got {maxTokens}", maxParam);
        double temperature = OptionalNumber(root, "temperature") ?? 1;
        if (!(temperature >= 0 && temperature <= 2)) throw new InvalidServingRequestException($"temperature must be between 0 and 2, got {temperature}", "temperature");
        double topP = OptionalNumber(root, "top_p") ?? 1;
        if (!(topP > 0 && topP <= 1)) throw new InvalidServingRequestException($"top_p must be in (0, 1], got {topP}", "top_p");
        long seed = OptionalLong(root, "seed") ?? Random.Shared.NextInt64(0, int.MaxValue);
        int n = OptionalInt(root, "n") ?? 1;
        if (n < 1 || n > MaxChoices) throw new InvalidServingRequestException($"n must be between 1 and {MaxChoices}, got {n}", "n");
        bool stream = OptionalBool(root, "stream") ?? false;

        bool logprobs;
        int top;
        if (chat)
        {
            logprobs = OptionalBool(root, "logprobs") ?? false;
            top = OptionalInt(root, "top_logprobs") ?? 0;
            if (top < 0 || top > MaxTopLogProbabilities)
                throw new InvalidServingRequestException($"top_logprobs must be between 0 and {MaxTopLogProbabilities}, got {top}", "top_logprobs");
            if (top > 0 && !logprobs) throw new InvalidServingRequestException("top_logprobs needs logprobs: true", "top_logprobs");
        }
        else
        {
            int? k = OptionalInt(root, "logprobs");
            if (k is < 0 or > MaxTopLogProbabilities)
                throw new InvalidServingRequestException($"logprobs must be between 0 and {MaxTopLogProbabilities}, got {k}", "logprobs");
            (logprobs, top) = (k is not null, k ?? 0);
            if (OptionalBool(root, "echo") == true) throw new InvalidServingRequestException("echo is not supported", "echo");
            if (OptionalString(root, "suffix") is not null) throw new InvalidServingRequestException("suffix is not supported", "suffix");
        }
        return new ServingRequest(chat, model, prompt, maxTokens, (float)temperature, (float)topP, seed, n, logprobs, top, stream, Stops(root));
    }

    private static string ChatPrompt(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind == JsonValueKind.Null)
            throw new InvalidServingRequestException("messages is required", "messages");
        if (messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
            throw new InvalidServingRequestException("messages must be a non-empty array", "messages");
        var parts = new List<string>();
        int i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            string param = $"messages[{i++}]";
            if (message.ValueKind != JsonValueKind.Object) throw new InvalidServingRequestException($"{param} must be an object", param);
            if (!message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String || !Roles.Contains(role.GetString()!))
                throw new InvalidServingRequestException($"{param}.role must be one of {string.Join(", ", Roles)}", $"{param}.role");
            if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
            {
                if (role.GetString() == "assistant") continue; // an assistant turn that only called tools
                throw new InvalidServingRequestException($"{param}.content is required", $"{param}.content");
            }
            parts.Add(content.ValueKind switch
            {
                JsonValueKind.String => content.GetString()!,
                JsonValueKind.Array => TextParts(content, $"{param}.content"),
                _ => throw new InvalidServingRequestException($"{param}.content must be a string or an array of text parts", $"{param}.content"),
            });
        }
        return string.Join("\n", parts);
    }

    // [{"type": "text", "text": "..."}, ...] joined without separator, as one message's content.
    private static string TextParts(JsonElement content, string param)
    {
        var text = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                || type.GetString() != "text" || !part.TryGetProperty("text", out var value) || value.ValueKind != JsonValueKind.String)
                throw new InvalidServingRequestException($"{param} may only hold text parts ({{\"type\": \"text\", \"text\": ...}})", param);
            text.Append(value.GetString());
        }
        return text.ToString();
    }

    private static string CompletionPrompt(JsonElement root)
    {
        if (!root.TryGetProperty("prompt", out var prompt) || prompt.ValueKind == JsonValueKind.Null)
            throw new InvalidServingRequestException("prompt is required", "prompt");
        if (prompt.ValueKind == JsonValueKind.String) return prompt.GetString()!;
        if (prompt.ValueKind == JsonValueKind.Array && prompt.GetArrayLength() == 1 && prompt[0].ValueKind == JsonValueKind.String) return prompt[0].GetString()!;
        throw new InvalidServingRequestException("prompt must be a string (or an array holding one string)", "prompt");
    }

    private static IReadOnlyList<string> Stops(JsonElement root)
    {
        if (!root.TryGetProperty("stop", out var stop) || stop.ValueKind == JsonValueKind.Null) return [];
        IReadOnlyList<string> stops = stop.ValueKind switch
        {
            JsonValueKind.String => [stop.GetString()!],
            JsonValueKind.Array when stop.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String) => [.. stop.EnumerateArray().Select(s => s.GetString()!)],
            _ => throw new InvalidServingRequestException("stop must be a string or an array of strings", "stop"),
        };
        if (stops.Count > 4 || stops.Any(s => s.Length == 0)) throw new InvalidServingRequestException("stop may hold up to 4 non-empty strings", "stop");
        return stops;
    }

    private static bool Has(JsonElement root, string name) => root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    private static string? OptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new InvalidServingRequestException($"{name} must be a string", name);
    }

    private static bool? OptionalBool(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InvalidServingRequestException($"{name} must be true or false", name),
        };
    }

    private static double? OptionalNumber(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number : throw new InvalidServingRequestException($"{name} must be a number", name);
    }

    private static long? OptionalLong(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number : throw new InvalidServingRequestException($"{name} must be an integer", name);
    }

    private static int? OptionalInt(JsonElement root, string name)
    {
        long? value = OptionalLong(root, name);
        if (value is null) return null;
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new InvalidServingRequestException($"{name} is out of range", name);
    }
}
