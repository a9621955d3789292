namespace Fairscope;

/// <summary>One generated sample. (<see cref="PromptId"/>, <see cref="SampleIndex"/>) is unique within a run: a
/// sample is stored at most once, and a failed one is replaced when a later attempt succeeds.</summary>
/// <param name="Output">The model's text; null when the sample failed.</param>
/// <param name="Error">Why the sample failed (one line); null when it succeeded.</param>
/// <param name="Attempts">Requests made for it, retries included.</param>
public sealed record SampleRecord(
    string PromptId,
    int SampleIndex,
    long Seed,
    string? Output,
    string? Error,
    string? FinishReason,
    double LatencyMs,
    int Attempts)
{
    /// <summary>True when the sample produced an output.</summary>
    public bool Ok => Error is null;
}
