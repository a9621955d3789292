using System.Text.Json;

namespace Fairscope;

/// <summary>Writes preference pairs for trainers: <c>trl</c> is TRL's standard preference format for DPOTrainer
/// (<c>{"prompt","chosen","rejected"}</c>, one JSON object a line; its conversational form, with message lists, when the run
/// had a system prompt, so the trainer sees what the model saw); <c>openai</c> is OpenAI's preference fine-tuning (DPO)
/// format (<c>{"input":{"messages":[system?, user]},"preferred_output":[assistant],"non_preferred_output":[assistant]}</c>);
/// <c>csv</c> is one pair a row with its prompt id, attribute, groups and sample indices.</summary>
public static class PreferenceExport
{
    /// <summary>The formats <see cref="WriteAsync"/> accepts.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["trl", "openai", "csv"];

    private static readonly JsonSerializerOptions Line = new() { WriteIndented = false };

    /// <summary>Writes <paramref name="pairs"/> to <paramref name="path"/> in <paramref name="format"/>; <paramref name="systemPrompt"/>
    /// is the audit's system message, if it had one.</summary>
    public static Task WriteAsync(IReadOnlyList<PreferencePair> pairs, string format, string path, string? systemPrompt = null)
    {
        if (!Formats.Contains(format)) throw new FairscopeException($"--format: unknown format '{format}'; use {string.Join(", ", Formats)}");
        return ReportFile.WriteAsync(path, writer => format == "csv" ? WriteCsv(pairs, writer) : WriteJsonLines(pairs, format, systemPrompt, writer));
    }

    private static Task WriteCsv(IReadOnlyList<PreferencePair> pairs, TextWriter writer)
    {
        Csv.WriteRecord(writer, ["prompt_id", "attribute", "prompt", "chosen", "rejected", "chosen_group", "rejected_group", "chosen_sample", "rejected_sample"]);
        foreach (var p in pairs)
            Csv.WriteRecord(writer, [p.PromptId, p.Attribute, p.Prompt, p.Chosen.Output, p.Rejected.Output, p.Chosen.Group, p.Rejected.Group,
                Index(p.Chosen.SampleIndex), Index(p.Rejected.SampleIndex)]);
        return Task.CompletedTask;
    }

    private static async Task WriteJsonLines(IReadOnlyList<PreferencePair> pairs, string format, string? systemPrompt, TextWriter writer)
    {
        Dictionary<string, string>[] Input(PreferencePair p) =>
            systemPrompt is null ? [Message("user", p.Prompt)] : [Message("system", systemPrompt), Message("user", p.Prompt)];
        foreach (var p in pairs)
            await writer.WriteLineAsync(format switch
            {
                "trl" when systemPrompt is null =>
                    JsonSerializer.Serialize(new Dictionary<string, string> { ["prompt"] = p.Prompt, ["chosen"] = p.Chosen.Output, ["rejected"] = p.Rejected.Output }, Line),
                "trl" => JsonSerializer.Serialize(new
                {
                    prompt = Input(p),
                    chosen = new[] { Message("assistant", p.Chosen.Output) },
                    rejected = new[] { Message("assistant", p.Rejected.Output) },
                }, Line),
                _ => JsonSerializer.Serialize(new
                {
                    input = new { messages = Input(p) },
                    preferred_output = new[] { Message("assistant", p.Chosen.Output) },
                    non_preferred_output = new[] { Message("assistant", p.Rejected.Output) },
                }, Line),
            });
    }

    private static string Index(int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Message(string role, string content) => new() { ["role"] = role, ["content"] = content };
}
