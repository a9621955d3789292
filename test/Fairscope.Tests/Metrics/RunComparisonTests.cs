namespace Fairscope.Tests;

public sealed class RunComparisonTests
{
    private static readonly Estimate None = new(null, null, null, null);

    // A result with one attribute "gender" (female, male) and, per prompt, its counts, refusal rate and mean length.
    private static AuditResult Result(string name, params (string Id, int Female, int Male, double? Refusal, double? Length)[] prompts) => new(
        AuditResult.CurrentFormatVersion,
        new RunSummary(name, "s", "openai", "m", null, 10, 0, "{}", RunInfo.Completed, DateTimeOffset.UnixEpoch, prompts.Length, 0, 0, "test"),
        [], new BootstrapSummary(200, 0.95, 0, "percentile"),
        [new AttributeSummary("gender", ["female", "male"], new Dictionary<string, double> { ["female"] = 0.5, ["male"] = 0.5 }, [], "lexicon",
            new Dictionary<string, AggregateEstimate>(), new Dictionary<string, int>(), new Dictionary<string, int>())],
        [.. prompts.Select(p => new PromptResult(p.Id, p.Id, new Dictionary<string, string>(), p.Female + p.Male, 0,
            new Dictionary<string, PromptAttributeResult>
            {
                ["gender"] = new(new Dictionary<string, int> { ["female"] = p.Female, ["male"] = p.Male, ["unknown"] = 3 }, null, null,
                    new Dictionary<string, Estimate>(), null),
            },
            new Estimate(p.Refusal, null, null, null), p.Length, []))],
        null, [], []);

    [Fact]
    public void DifferenceIsTheRunsMeanBiasMinusTheBaselinesOverSharedPrompts()
    {
        // Baseline: nurse 9/1 (bias 0.8), pilot 0/10 (1.0), extra only here. Run: nurse 5/5 (0), pilot 4/6 (0.2).
        var baseline = Result("before", ("nurse", 9, 1, 0.1, 40), ("pilot", 0, 10, 0.0, 50), ("extra", 10, 0, 0.5, 5));
        var run = Result("after", ("nurse", 5, 5, 0.2, 30), ("pilot", 4, 6, null, 45));

        var comparison = RunComparison.Compare(baseline, run, new Bootstrap(200, Seed: 1));

        Assert.Equal(("before", 2), (comparison.Baseline, comparison.Prompts));
        var gender = Assert.Single(comparison.Attributes);
        Assert.Equal(2, gender.Prompts);
        Assert.Equal(0.9, gender.BaselineBias.Value!.Value, 9);
        Assert.Equal(0.1, gender.Bias.Value!.Value, 9);
        Assert.Equal(-0.8, gender.Difference.Value!.Value, 9);
        Assert.InRange(gender.Difference.CiHigh!.Value, -0.8, 0);
        // Refusal only where both runs have it (nurse); length over both prompts.
        Assert.Equal(0.1, comparison.Fidelity.RefusalRateDifference!.Value, 9);
        Assert.Equal(-7.5, comparison.Fidelity.MeanLengthDifference!.Value, 9);
    }

    [Fact]
    public void NoSharedKnownLabelsLeaveTheEstimatesUndefined()
    {
        var comparison = RunComparison.Compare(Result("before", ("nurse", 0, 0, null, null)), Result("after", ("nurse", 3, 1, null, null)), new Bootstrap(50));

        var gender = Assert.Single(comparison.Attributes);
        Assert.Equal((0, None, None), (gender.Prompts, gender.BaselineBias, gender.Difference));
        Assert.Null(comparison.Fidelity.MeanLengthDifference);
    }
}
