using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fairscope;

/// <summary>The values of a Hugging Face <c>config.json</c>, read with one-line errors that name the file and the key
/// (<c>"{source}: invalid {what} config: …"</c>): what <see cref="GptConfig"/> and <see cref="ClipTextConfig"/> share.</summary>
internal sealed class ConfigJson
{
    private readonly string _source, _what;

    private ConfigJson(JsonObject root, string source, string what) => (Root, _source, _what) = (root, source, what);

    /// <summary>The object read.</summary>
    public JsonObject Root { get; }

    /// <summary>Parses <paramref name="json"/>, which must be one JSON object; <paramref name="source"/> names it and
    /// <paramref name="what"/> the model in errors.</summary>
    public static ConfigJson Parse(string json, string source, string what)
    {
        try
        {
            return new(JsonNode.Parse(json) as JsonObject ?? throw Invalid(source, what, "the file is not a JSON object"), source, what);
        }
        catch (JsonException e)
        {
            throw Invalid(source, what, $"not valid JSON ({e.Message})");
        }
    }

    /// <summary>The object under <paramref name="name"/> read the same way, or this one when there is none.</summary>
    public ConfigJson Within(string name) => Root[name] is JsonObject inner ? new(inner, _source, _what) : this;

    /// <summary>The required integer <paramref name="name"/>.</summary>
    public int Integer(string name)
    {
        if (Root[name] is not { } node) throw Invalid($"'{name}' is missing");
        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue(out int value))
            throw Invalid($"'{name}' must be an integer, got {node.ToJsonString()}");
        return value;
    }

    /// <summary><paramref name="node"/> (the value of <paramref name="name"/>) as a number.</summary>
    public double Number(JsonNode node, string name) =>
        node.GetValueKind() == JsonValueKind.Number ? node.GetValue<double>() : throw Invalid($"'{name}' must be a number, got {node.ToJsonString()}");

    /// <summary>The string <paramref name="name"/>, or null when absent.</summary>
    public string? OptionalString(string name) => Root[name] switch
    {
        null => null,
        var node when node.GetValueKind() == JsonValueKind.String => node.GetValue<string>(),
        var node => throw Invalid($"'{name}' must be a string, got {node.ToJsonString()}"),
    };

    /// <summary>The error for <paramref name="problem"/> in this file.</summary>
    public FairscopeException Invalid(string problem) => Invalid(_source, _what, problem);

    private static FairscopeException Invalid(string source, string what, string problem) => new($"{source}: invalid {what} config: {problem}");
}
