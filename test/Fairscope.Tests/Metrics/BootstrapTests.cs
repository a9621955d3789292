
namespace Fairscope.Tests;

/// <summary><see cref="Bootstrap"/>: type-7 quantiles, percentile intervals and seeded replicates.</summary>
public sealed class BootstrapTests
{
    // ---------------------------------------------------------------- Quantile (Hyndman & Fan type 7)

    [Theory]
    // sorted [1, 2, 3, 4]: h = (n−1)·q = 3q; value = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])
    [InlineData(0.0, 1.0)]   // h = 0 → x0 = 1
    [InlineData(0.25, 1.75)] // h = 0.75 → 1 + 0.75·(2−1) = 1.75
    [InlineData(0.5, 2.5)]   // h = 1.5 → 2 + 0.5·(3−2) = 2.5
    [InlineData(0.9, 3.7)]   // h = 2.7 → 3 + 0.7·(4−3) = 3.7 (numpy.quantile gives 3.7 too)
    [InlineData(1.0, 4.0)]   // h = 3 → x3 = 4 (upper index clamped)
    public void Quantile_interpolates_linearly(double q, double expected)
    {
        Assert.Equal(expected, Bootstrap.Quantile([1, 2, 3, 4], q), 1e-12);
    }

    [Fact]
    public void Quantile_more_hand_values()
    {
        double[] x = [10, 20, 30, 40, 50];
        // h = 4·0.025 = 0.1 → 10 + 0.1·10 = 11
        Assert.Equal(11, Bootstrap.Quantile(x, 0.025), 1e-12);
        // h = 4·0.975 = 3.9 → 40 + 0.9·10 = 49
        Assert.Equal(49, Bootstrap.Quantile(x, 0.975), 1e-12);
        // a single value is every quantile
        Assert.Equal(5, Bootstrap.Quantile([5], 0.3), 1e-12);
        // unequal gaps: [0, 1, 10], q = 0.75 → h = 1.5 → 1 + 0.5·9 = 5.5
        Assert.Equal(5.5, Bootstrap.Quantile([0, 1, 10], 0.75), 1e-12);
    }

    // ---------------------------------------------------------------- Interval

    [Fact]
    public void Interval_is_the_percentile_interval_of_finite_values()
    {
        // Level 0.5 → α/2 = 0.25. Values 1..10 (n = 10): low h = 9·0.25 = 2.25 → 3 + 0.25 = 3.25;
        // high h = 9·0.75 = 6.75 → 7 + 0.75 = 7.75. Input order does not matter (the values are sorted).
        var bootstrap = new Bootstrap(Resamples: 10, Level: 0.5);
        var interval = bootstrap.Interval([10, 3, 5, 1, 2, 4, 6, 8, 7, 9]);
        Assert.NotNull(interval);
        Assert.Equal(3.25, interval.Value.Low, 1e-12);
        Assert.Equal(7.75, interval.Value.High, 1e-12);
    }

    [Fact]
    public void Interval_ignores_non_finite_replicates()
    {
        // Finite values 1..6 (n = 6) of 10 replicates; Level 0.5: low h = 5·0.25 = 1.25 → 2.25, high h = 3.75 → 4.75
        var bootstrap = new Bootstrap(Resamples: 10, Level: 0.5);
        var interval = bootstrap.Interval([1, double.NaN, 2, 3, double.PositiveInfinity, 4, double.NegativeInfinity, 5, double.NaN, 6]);
        Assert.NotNull(interval);
        Assert.Equal(2.25, interval.Value.Low, 1e-12);
        Assert.Equal(4.75, interval.Value.High, 1e-12);
    }

    [Fact]
    public void Interval_is_null_when_fewer_than_half_the_replicates_are_finite()
    {
        var bootstrap = new Bootstrap(Resamples: 10);
        // 4 finite of 10: 4·2 = 8 < 10 → null
        Assert.Null(bootstrap.Interval([1, 2, 3, 4, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN]));
        // 5 finite of 10: exactly half is enough
        Assert.NotNull(bootstrap.Interval([1, 2, 3, 4, 5, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN]));
        // none finite, or none at all
        Assert.Null(bootstrap.Interval(Enumerable.Repeat(double.NaN, 10)));
        Assert.Null(bootstrap.Interval([]));
    }

    [Fact]
    public void Interval_of_a_constant_is_that_constant()
    {
        var interval = new Bootstrap(Resamples: 20).Interval(Enumerable.Repeat(0.42, 20));
        Assert.NotNull(interval);
        Assert.Equal((0.42, 0.42), interval.Value);
    }

    // ---------------------------------------------------------------- Replicates

    private static double[] Statistic(Random random) => [random.NextDouble(), random.Next(1000), Sampling.Binomial(random, 100, 0.3)];

    [Fact]
    public void Replicates_has_one_entry_per_resample()
    {
        var replicates = new Bootstrap(Resamples: 37).Replicates(Statistic);
        Assert.Equal(37, replicates.Length);
        Assert.All(replicates, r => Assert.Equal(3, r.Length));
    }

    [Fact]
    public void Same_seed_gives_identical_replicates_on_every_run()
    {
        var bootstrap = new Bootstrap(Resamples: 500, Seed: 17);
        var first = bootstrap.Replicates(Statistic);
        var second = bootstrap.Replicates(Statistic);
        var third = new Bootstrap(Resamples: 500, Seed: 17).Replicates(Statistic);
        Assert.Equal(first, second);
        Assert.Equal(first, third);
    }

    [Fact]
    public void Replicate_b_does_not_depend_on_the_number_of_resamples()
    {
        // Replicate b is seeded from (seed, b) only: a longer run starts with the shorter run's replicates.
        var shorter = new Bootstrap(Resamples: 50, Seed: 3).Replicates(Statistic);
        var longer = new Bootstrap(Resamples: 200, Seed: 3).Replicates(Statistic);
        Assert.Equal(shorter, longer[..50]);
    }

    [Fact]
    public void Different_seeds_give_different_replicates()
    {
        var a = new Bootstrap(Resamples: 100, Seed: 1).Replicates(Statistic);
        var b = new Bootstrap(Resamples: 100, Seed: 2).Replicates(Statistic);
        Assert.NotEqual(a, b);
        // not merely one differing replicate: most differ
        Assert.True(Enumerable.Range(0, 100).Count(i => a[i][0] != b[i][0]) > 90);
    }

    [Fact]
    public void Replicates_within_a_run_differ_from_each_other()
    {
        var replicates = new Bootstrap(Resamples: 100, Seed: 5).Replicates(Statistic);
        Assert.Equal(100, replicates.Select(r => r[0]).Distinct().Count());
    }

    [Fact]
    public void Bootstrap_interval_of_a_proportion_matches_the_normal_approximation()
    {
        // 30 successes of 100. Normal approximation: 0.30 ± 1.96·sqrt(0.3·0.7/100) = 0.30 ± 1.96·0.045826
        //   = 0.30 ± 0.089819 → (0.210181, 0.389819). The percentile bootstrap of a binomial proportion
        //   should agree within 0.02 (the replicates are multiples of 0.01, so exact agreement is impossible).
        int[] counts = [30, 70];
        var bootstrap = new Bootstrap(Resamples: 2000, Level: 0.95, Seed: 2024);
        var replicates = bootstrap.Replicates(random =>
        {
            var resample = new int[2];
            Sampling.Multinomial(random, counts, resample);
            return [resample[0] / 100.0];
        });
        var interval = bootstrap.Interval(replicates.Select(r => r[0]));
        Assert.NotNull(interval);
        var halfWidth = 1.96 * Math.Sqrt(0.3 * 0.7 / 100);
        Assert.Equal(0.30 - halfWidth, interval.Value.Low, 0.02);
        Assert.Equal(0.30 + halfWidth, interval.Value.High, 0.02);
        // and the bootstrap mean is near the observed proportion (SE = 0.0458/sqrt(2000) = 0.001 → 0.005)
        Assert.Equal(0.30, replicates.Average(r => r[0]), 0.005);
    }
}
