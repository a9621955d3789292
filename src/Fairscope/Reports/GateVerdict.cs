namespace Fairscope;

/// <summary>The outcome of one <c>--fail-above METRIC=VALUE</c> gate.</summary>
public sealed record GateVerdict(string Metric, double Threshold, double? Value, bool Passed)
{
    /// <summary>One line for the console and the report.</summary>
    public override string ToString() => Value is null
        ? $"{Metric}: no value (no prompt had a known label) — gate fails"
        : $"{Metric} = {Value:0.###} {(Passed ? "≤" : ">")} {Threshold:0.###} — {(Passed ? "pass" : "FAIL")}";
}
