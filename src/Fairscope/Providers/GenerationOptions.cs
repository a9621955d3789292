using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>Sampling parameters sent with every request. Part of a run's identity: resuming with other values is refused.</summary>
public sealed record GenerationOptions(double Temperature = 1.0, int MaxOutputTokens = 256, string? SystemPrompt = null)
{
    /// <summary>Canonical JSON stored with the run.</summary>
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>Chat options for one sample; the seed makes the sample reproducible where the server honours it.</summary>
    public ChatOptions ToChatOptions(string model, long seed) =>
        new() { ModelId = model, Temperature = (float)Temperature, MaxOutputTokens = MaxOutputTokens, Seed = seed };
}
