namespace Fairscope.Tests;

public sealed class RankCorrelationTests
{
    [Fact]
    public void MonotoneIsOneAndReversedIsMinusOne()
    {
        Assert.Equal(1, RankCorrelation.Spearman([0, 0.1, 0.5, 1], [0.2, 0.3, 0.9, 4]), 12);
        Assert.Equal(-1, RankCorrelation.Spearman([1, 2, 3], [3, 2, 1]), 12);
    }

    [Fact]
    public void TiesShareTheirMeanRank()
    {
        // x ranks 1, 2, 3, 4; y = (1, 2, 2, 3) ranks 1, 2.5, 2.5, 4. Centred: x (−1.5, −0.5, 0.5, 1.5), y (−1.5, 0, 0, 1.5).
        // Σxy = 2.25 + 2.25 = 4.5; Σx² = 5; Σy² = 4.5 → ρ = 4.5 / √22.5 = 0.948683…
        Assert.Equal(4.5 / Math.Sqrt(22.5), RankCorrelation.Spearman([1, 2, 3, 4], [1, 2, 2, 3]), 12);
    }

    [Fact]
    public void UndefinedCasesAreNaN()
    {
        Assert.True(double.IsNaN(RankCorrelation.Spearman([1], [2])));
        Assert.True(double.IsNaN(RankCorrelation.Spearman([1, 2, 3], [5, 5, 5])));
    }
}
