using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Fairscope.Tests;

/// <summary><see cref="JensenShannon.Divergence"/> and <see cref="TokenHistogram"/>.</summary>
public sealed class LocateJensenShannonTests
{
    [Fact]
    public void A_point_mass_against_a_fair_coin_is_0_3113()
    {
        // m = (0.75, 0.25); KL(p‖m) = log2(1/0.75) = 0.41504; KL(q‖m) = 0.5·log2(0.5/0.75) + 0.5·log2(0.5/0.25) = 0.20752;
        // JSD = (0.41504 + 0.20752) / 2 = 0.31128.
        Assert.Equal(0.31128, JensenShannon.Divergence([1, 0], [0.5, 0.5]), 5);
        // Counts are normalised first: (2, 0) is (1, 0) and (3, 3) is (0.5, 0.5).
        Assert.Equal(0.31128, JensenShannon.Divergence([2, 0], [3, 3]), 5);
    }

    [Fact]
    public void Identical_distributions_are_0_and_disjoint_ones_1()
    {
        Assert.Equal(0, JensenShannon.Divergence([0.2, 0.3, 0.5], [2, 3, 5]), 12);
        Assert.Equal(1, JensenShannon.Divergence([1, 0], [0, 1]), 12);
        Assert.Equal(1, JensenShannon.Divergence([3, 1, 0, 0], [0, 0, 5, 7]), 12);
    }

    [Theory]
    [InlineData(new double[] { 1, -1 }, new double[] { 1, 1 }, "the first distribution holds -1")]
    [InlineData(new double[] { 1, 1 }, new double[] { 0, 0 }, "the second distribution sums to 0")]
    [InlineData(new double[] { 1, 1 }, new double[] { 1, 1, 1 }, "have 2 and 3 entries")]
    public void Bad_distributions_are_named(double[] p, double[] q, string message) =>
        Assert.Contains(message, Assert.Throws<FairscopeException>(() => JensenShannon.Divergence(p, q)).Message);

    private static readonly Gen<double[]> Counts = Gen.ArrayOf(Gen.Choose(0, 20).Select(c => (double)c), 5).Where(a => a.Sum() > 0);

    [Property(MaxTest = 300, Replay = "(24680,13577)")]
    public Property Symmetric_and_between_0_and_1() => Prop.ForAll(Arb.From(Gen.Zip(Counts, Counts)), pair =>
    {
        var (p, q) = pair;
        var d = JensenShannon.Divergence(p, q);
        return d >= 0 && d <= 1 && Math.Abs(d - JensenShannon.Divergence(q, p)) < 1e-12;
    });

    [Fact]
    public void A_histogram_counts_every_token_of_every_sequence()
    {
        Assert.Equal([2, 0, 1, 3], TokenHistogram.Count([[0, 3, 3], [2, 0, 3]], 4));
        Assert.Contains("token id 4 is outside the codebook [0, 4)", Assert.Throws<FairscopeException>(() => TokenHistogram.Count([[4]], 4)).Message);
    }
}
