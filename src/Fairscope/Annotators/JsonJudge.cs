using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>One key of a judge's JSON answer: a choice among <see cref="Categories"/> (<see cref="DemographicAttribute.Unknown"/>
/// is always allowed too), or, when <see cref="Categories"/> is null, a count: a whole number, 0 or more, whose
/// <see cref="Meaning"/> the question states.</summary>
internal sealed record JudgeField(string Name, IReadOnlyList<string>? Categories, string? Meaning = null)
{
    /// <summary>A key answered with one of <paramref name="categories"/> or unknown.</summary>
    public static JudgeField Choice(string name, IReadOnlyList<string> categories) => new(name, categories);

    /// <summary>A key answered with a whole number ≥ 0 that counts what <paramref name="meaning"/> says.</summary>
    public static JudgeField Count(string name, string meaning) => new(name, null, meaning);
}

/// <summary>A judge's result: the validated labels (counts as invariant digits), or null when every try was
/// malformed; the evidence is the valid answer verbatim, or every malformed answer.</summary>
internal sealed record JudgeAnswer(IReadOnlyDictionary<string, string>? Labels, string Evidence);

/// <summary>
/// The protocol every judge annotator shares: a system message with the judge's instructions, a user message that
/// lists the keys and their allowed values and carries what is judged (text, an image), and one strict JSON object
/// in reply. Answers are validated; a malformed one is sent back with the reason, up to <c>maxTries</c> times.
/// Temperature 0 and a fixed seed make answers as repeatable as the server allows. What differs between judges
/// is only the instructions, the fields and the user message.
/// </summary>
internal sealed class JsonJudge
{
    private readonly IChatClient _client;
    private readonly string _model;
    private readonly string _instructions;
    private readonly IReadOnlyList<JudgeField> _fields;
    private readonly int _maxTries;

    public JsonJudge(IChatClient client, string model, string instructions, IReadOnlyList<JudgeField> fields, int maxTries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTries, 1);
        (_client, _model, _instructions, _fields, _maxTries) = (client, model, instructions, fields, maxTries);
        var recipe = instructions + string.Join(";", fields.Select(f => f.Name + "=" + (f.Categories is { } c ? string.Join(",", c) : "#" + f.Meaning)));
        Version = "1." + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(recipe)))[..8];
    }

    /// <summary>Changes with the instructions and the fields (an annotator's version).</summary>
    public string Version { get; }

    /// <summary>The user message's text: the keys with their allowed values, then <paramref name="subject"/> (what is
    /// judged, or where it is), then the request for the JSON object.</summary>
    public string Question(string subject)
    {
        var text = new StringBuilder("Attributes and allowed values:\n");
        foreach (var f in _fields)
            text.Append(f.Categories is { } categories
                ? $"- \"{f.Name}\": {string.Join(", ", categories.Append(DemographicAttribute.Unknown).Select(c => $"\"{c}\""))}\n"
                : $"- \"{f.Name}\": a whole number, 0 or more: {f.Meaning}\n");
        text.Append($"\n{subject}\n\nJSON with exactly the keys {string.Join(", ", _fields.Select(f => $"\"{f.Name}\""))}:");
        return text.ToString();
    }

    /// <summary>Asks with <paramref name="question"/> until an answer is valid or the tries are spent.</summary>
    public async Task<JudgeAnswer> AskAsync(ChatMessage question, CancellationToken cancellationToken)
    {
        List<ChatMessage> messages = [new(ChatRole.System, _instructions), question];
        var options = new ChatOptions { ModelId = _model, Temperature = 0, Seed = 0, MaxOutputTokens = 200 };
        var answers = new List<string>();
        for (var attempt = 1; attempt <= _maxTries; attempt++)
        {
            var response = await _client.GetResponseAsync(messages, options, cancellationToken);
            var answer = response.Text;
            answers.Add(answer);
            var (labels, problem) = Parse(answer);
            if (labels is not null) return new JudgeAnswer(labels, answer);
            messages.Add(new(ChatRole.Assistant, answer));
            messages.Add(new(ChatRole.User, $"That answer is not valid: {problem}. Reply with only the JSON object."));
        }
        return new JudgeAnswer(null, $"malformed judge answers: {string.Join(" | ", answers)}");
    }

    /// <summary>Reads the labels from an answer, tolerating a code fence around the object; otherwise says what is wrong.</summary>
    internal (Dictionary<string, string>? Labels, string Problem) Parse(string answer)
    {
        var start = answer.IndexOf('{');
        var end = answer.LastIndexOf('}');
        if (start < 0 || end < start) return (null, "no JSON object found");
        JsonDocument document;
        try { document = JsonDocument.Parse(answer[start..(end + 1)]); }
        catch (JsonException) { return (null, "the JSON object does not parse"); }
        using var owned = document;
        var root = document.RootElement;
        var labels = new Dictionary<string, string>();
        foreach (var f in _fields)
        {
            var present = root.TryGetProperty(f.Name, out var value);
            if (f.Categories is not { } categories)
            {
                if (!present || value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var count) || count < 0)
                    return (null, $"\"{f.Name}\" must be a whole number, 0 or more, not {(present ? value.GetRawText() : "missing")}");
                labels[f.Name] = count.ToString(CultureInfo.InvariantCulture);
                continue;
            }
            if (!present || value.ValueKind != JsonValueKind.String) return (null, $"key \"{f.Name}\" is missing or not a string");
            var label = value.GetString()!.Trim().ToLowerInvariant();
            if (label != DemographicAttribute.Unknown && !categories.Contains(label))
                return (null, $"\"{f.Name}\" must be one of {string.Join(", ", categories)} or unknown, not \"{label}\"");
            labels[f.Name] = label;
        }
        return (labels, "");
    }
}
