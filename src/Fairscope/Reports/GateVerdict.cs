namespace Fairscope;

/// <summary>The outcome of one <c>--fail-above METRIC=VALUE</c> gate.</summary>
public sealed record GateVerdict(string Metric, double Threshold, double? Value, bool Passed)
{
    /// <summary>One line for the console and the report.</summary>
    public override string ToString() => Value is { } v
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Metric} = {v:0.###} {(Passed ? "≤" : ">")} {Threshold:0.###} — {(Passed ? "pass" : "FAIL")}")
        : $"{Metric}: no finite value (no known labels, an infinite divergence, or too few defined resamples) — FAIL";
}
