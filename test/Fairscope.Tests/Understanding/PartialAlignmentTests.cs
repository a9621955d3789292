namespace Fairscope.Tests;

public sealed class PartialAlignmentTests
{
    [Fact]
    public void MeansRunOverPromptsMeasuredBothWaysAndTheGapIsTheirDifference()
    {
        // Hand values, unreadable answers left out (choose mode): A generates 8:2 (bias 0.6) and picks 5:5 (0); B generates
        // 5:5 (0) and picks 6:4 (0.2); C has only unreadable picks and is left out. Generation 0.3, understanding 0.1, gap 0.2.
        var result = PartialAlignment.Compare("gender", ["a", "b", "c"], [[8, 2], [5, 5], [10, 0]], [[5, 5, 1], [6, 4, 0], [0, 0, 3]],
            abstentionIsFair: false, new Bootstrap(400, 0.95, 1));

        Assert.Equal(2, result.Prompts);
        Assert.Equal(0.3, result.GenerationBias.Value!.Value, 12);
        Assert.Equal(0.1, result.UnderstandingBias.Value!.Value, 12);
        Assert.Equal(0.2, result.Gap.Value!.Value, 12);
        Assert.True(result.Gap.CiLow < result.Gap.CiHigh);
        Assert.Equal(["a", "b"], result.ByPrompt.Select(p => p.PromptId));
        Assert.Equal(0.6, result.ByPrompt[0].GenerationBias, 12);
        Assert.Equal(1.0 / 21, result.AbstentionRate!.Value, 12);
    }

    [Fact]
    public void InAskModeAnAbstentionCountsAsAnEvenSplit()
    {
        // A: 9 "unknown" and 1 "male" out of 10: shares (0 + 4.5)/10 and (1 + 4.5)/10, bias 0.1 = (1 − 0.9) × 1.
        // B: always "unknown": bias 0, and the prompt still counts. Generation: A 1.0 (10:0), B 0.2 (6:4).
        var result = PartialAlignment.Compare("gender", ["a", "b"], [[0, 10], [6, 4]], [[0, 1, 9], [0, 0, 10]], abstentionIsFair: true, new Bootstrap(200));

        Assert.Equal(2, result.Prompts);
        Assert.Equal(0.1, result.ByPrompt[0].UnderstandingBias, 12);
        Assert.Equal(0.0, result.ByPrompt[1].UnderstandingBias, 12);
        Assert.Equal(0.05, result.UnderstandingBias.Value!.Value, 12);
        Assert.Equal(0.6, result.GenerationBias.Value!.Value, 12);
        Assert.Equal(0.55, result.Gap.Value!.Value, 12);
        Assert.Equal(0.95, result.AbstentionRate!.Value, 12);
    }

    [Fact]
    public void SameSeedSameIntervals()
    {
        PartialAlignmentResult Run() => PartialAlignment.Compare("gender", ["a"], [[7, 3]], [[4, 6, 0]], false, new Bootstrap(300, 0.95, 7));
        Assert.Equal(Run().Gap, Run().Gap);
    }

    [Fact]
    public void NoPromptMeasuredBothWaysGivesNoEstimate()
    {
        var result = PartialAlignment.Compare("gender", ["a"], [[7, 3]], [[0, 0, 2]], false, new Bootstrap(100));
        Assert.Equal(0, result.Prompts);
        Assert.Null(result.Gap.Value);
        Assert.Null(result.AbstentionRate);
    }
}
