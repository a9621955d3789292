namespace Fairscope.Tests;

public sealed class PartialAlignmentTests
{
    [Fact]
    public void MeansRunOverPromptsMeasuredBothWaysAndTheGapIsTheirDifference()
    {
        // Hand values: A generates 8:2 (bias 0.6) and answers 5:5 (0); B generates 5:5 (0) and answers 6:4 (0.2);
        // C has no understanding answer and is left out. Generation 0.3, understanding 0.1, gap 0.2.
        var result = PartialAlignment.Compare("gender", ["a", "b", "c"], [[8, 2], [5, 5], [10, 0]], [[5, 5], [6, 4], [0, 0]], new Bootstrap(400, 0.95, 1));

        Assert.Equal(2, result.Prompts);
        Assert.Equal(0.3, result.GenerationBias.Value!.Value, 12);
        Assert.Equal(0.1, result.UnderstandingBias.Value!.Value, 12);
        Assert.Equal(0.2, result.Gap.Value!.Value, 12);
        Assert.True(result.Gap.CiLow < result.Gap.CiHigh);
        Assert.Equal(["a", "b"], result.ByPrompt.Select(p => p.PromptId));
        Assert.Equal(0.6, result.ByPrompt[0].GenerationBias, 12);
    }

    [Fact]
    public void SameSeedSameIntervals()
    {
        PartialAlignmentResult Run() => PartialAlignment.Compare("gender", ["a"], [[7, 3]], [[4, 6]], new Bootstrap(300, 0.95, 7));
        Assert.Equal(Run().Gap, Run().Gap);
    }

    [Fact]
    public void NoPromptMeasuredBothWaysGivesNoEstimate()
    {
        var result = PartialAlignment.Compare("gender", ["a"], [[7, 3]], [[0, 0]], new Bootstrap(100));
        Assert.Equal(0, result.Prompts);
        Assert.Null(result.Gap.Value);
    }
}
