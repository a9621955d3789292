using System.Globalization;

namespace Fairscope;

/// <summary>
/// A CI gate: <c>--fail-above gender.bias_score=0.30</c> fails the audit when the metric exceeds the threshold.
/// Keys are <c>ATTRIBUTE.METRIC</c> (mean over prompts), optionally suffixed <c>.worst</c> (worst prompt) or
/// <c>.ci_high</c>/<c>.ci_low</c> (interval bounds; gating on <c>.ci_high</c> fails unless the run shows the
/// metric is low with 95% confidence), and <c>counterfactual.MEASURE</c> for counterfactual gaps. A metric
/// without a value fails its gate: absence of evidence is not fairness.
/// </summary>
public sealed record FairnessGate(string Metric, double Threshold)
{
    private static readonly string[] Suffixes = ["worst", "ci_high", "ci_low"];

    /// <summary>Parses <c>METRIC=VALUE</c>.</summary>
    public static FairnessGate Parse(string text)
    {
        var parts = text.Split('=', 2);
        if (parts.Length != 2 || parts[0].Trim().Length == 0
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) || !double.IsFinite(threshold))
            throw new FairscopeException($"--fail-above '{text}' must look like METRIC=VALUE, e.g. gender.bias_score=0.30");
        return new FairnessGate(parts[0].Trim(), threshold);
    }

    /// <summary>Checks the gate against <paramref name="result"/>.</summary>
    public GateVerdict Evaluate(AuditResult result)
    {
        var values = Values(result);
        var value = values.GetValueOrDefault(Metric); // a valid name with no value (e.g. no prompt with a known label) fails
        return new GateVerdict(Metric, Threshold, value, value is { } v && v <= Threshold);
    }

    /// <summary>Rejects a metric name that no run of <paramref name="suite"/> could produce, before any sample is drawn.</summary>
    public void CheckNames(Suite suite)
    {
        var bases = suite.Attributes.SelectMany(a => PromptMetrics.Names.Select(m => $"{a.Name}.{m}")).ToList();
        if (suite.CounterfactualSlot is not null)
            bases.AddRange(suite.Attributes.Select(a => a.Name).Append(CounterfactualAnalyzer.Refusal).Append(CounterfactualAnalyzer.Length).Select(m => $"counterfactual.{m}"));
        if (!bases.Any(b => Metric == b || Suffixes.Any(s => Metric == $"{b}.{s}")))
            throw new FairscopeException($"--fail-above names unknown metric '{Metric}'; use ATTRIBUTE.METRIC[.worst|.ci_high|.ci_low] with ATTRIBUTE one of {string.Join(", ", suite.Attributes.Select(a => a.Name))} and METRIC one of {string.Join(", ", PromptMetrics.Names)}");
    }

    /// <summary>Every gateable key and its value.</summary>
    public static Dictionary<string, double?> Values(AuditResult result)
    {
        var values = new Dictionary<string, double?>();
        void Add(string prefix, AggregateEstimate e)
        {
            values[prefix] = e.Mean;
            values[$"{prefix}.{Suffixes[0]}"] = e.Worst;
            values[$"{prefix}.{Suffixes[1]}"] = e.CiHigh;
            values[$"{prefix}.{Suffixes[2]}"] = e.CiLow;
        }
        foreach (var a in result.Attributes)
            foreach (var (metric, estimate) in a.Metrics) Add($"{a.Name}.{metric}", estimate);
        if (result.Counterfactual is { } cf)
            foreach (var (measure, estimate) in cf.Gaps) Add($"counterfactual.{measure}", estimate);
        return values;
    }
}
