
namespace Fairscope.Tests;

/// <summary>
/// <see cref="Sampling"/>: exact binomial and multinomial variates. Statistical checks use fixed seeds, so they
/// are deterministic; their tolerances are still derived from the standard errors, so that a correct sampler
/// passes for essentially any seed (at five standard errors a false alarm has probability ≈ 6·10⁻⁷).
/// </summary>
public sealed class SamplingTests
{
    private const int Draws = 20_000;

    // ---------------------------------------------------------------- Binomial: edge cases

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(1000)]
    public void Binomial_with_p_zero_is_zero(int n)
    {
        var random = new Random(1);
        for (var i = 0; i < 100; i++) Assert.Equal(0, Sampling.Binomial(random, n, 0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(1000)]
    public void Binomial_with_p_one_is_n(int n)
    {
        var random = new Random(1);
        for (var i = 0; i < 100; i++) Assert.Equal(n, Sampling.Binomial(random, n, 1));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(1.0)]
    public void Binomial_with_no_trials_is_zero(double p)
    {
        Assert.Equal(0, Sampling.Binomial(new Random(1), 0, p));
    }

    [Fact]
    public void Binomial_rejects_negative_n()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Sampling.Binomial(new Random(1), -1, 0.5));
    }

    [Theory]
    [InlineData(5, 0.5)]
    [InlineData(33, 0.01)]
    [InlineData(1000, 0.3)]
    [InlineData(100_000, 0.999)]
    public void Binomial_stays_within_zero_and_n(int n, double p)
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++) Assert.InRange(Sampling.Binomial(random, n, p), 0, n);
    }

    [Fact]
    public void Binomial_is_deterministic_for_a_seed()
    {
        static int[] Draw(int seed)
        {
            var random = new Random(seed);
            return Enumerable.Range(0, 500).Select(i => Sampling.Binomial(random, 10 + i, 0.37)).ToArray();
        }
        Assert.Equal(Draw(42), Draw(42));
        Assert.NotEqual(Draw(42), Draw(43));
    }

    // ---------------------------------------------------------------- Binomial: moments

    [Theory]
    // n=1000, p=0.3 (recursive Beta splitting): mean np = 300, variance np(1−p) = 210.
    //   SE(mean) = sqrt(210 / 20000) = 0.1025                     → tolerance 5·SE = 0.51
    //   SE(var) ≈ σ²·sqrt(2/(N−1)) = 210·0.0100 = 2.10 (excess kurtosis (1−6pq)/npq = −0.0002, negligible)
    //                                                              → tolerance 5·SE = 10.5
    [InlineData(1000, 0.3, 0.51, 10.5)]
    // n=50, p=0.9: mean 45, variance 4.5.
    //   SE(mean) = sqrt(4.5 / 20000) = 0.0150                     → tolerance 5·SE = 0.075
    //   SE(var) ≈ σ²·sqrt(2/(N−1) + κ/N) with κ = (1−6·0.09)/4.5 = 0.102: 4.5·sqrt(0.0001 + 0.0000051) = 0.0461
    //                                                              → tolerance 5·SE = 0.23
    [InlineData(50, 0.9, 0.075, 0.23)]
    public void Binomial_mean_and_variance_match_np_and_npq(int n, double p, double meanTolerance, double varianceTolerance)
    {
        var random = new Random(2024);
        var x = new double[Draws];
        for (var i = 0; i < Draws; i++) x[i] = Sampling.Binomial(random, n, p);
        var mean = x.Average();
        var variance = x.Sum(v => (v - mean) * (v - mean)) / (Draws - 1);
        Assert.Equal(n * p, mean, meanTolerance);
        Assert.Equal(n * p * (1 - p), variance, varianceTolerance);
    }

    [Fact]
    public void Binomial_matches_the_exact_pmf_by_chi_square()
    {
        // n = 40 > 32, so every draw goes through one Beta split before the Bernoulli count.
        const int n = 40;
        const double p = 0.25;
        var pmf = new double[n + 1];
        for (var k = 0; k <= n; k++) pmf[k] = Math.Exp(LogChoose(n, k) + k * Math.Log(p) + (n - k) * Math.Log(1 - p));
        Assert.Equal(1.0, pmf.Sum(), 1e-12);

        var observed = new int[n + 1];
        var random = new Random(99);
        for (var i = 0; i < Draws; i++) observed[Sampling.Binomial(random, n, p)]++;

        // Bins: k ≤ 3 | 4, 5, …, 17 | k ≥ 18. Expected counts (20000·pmf): k≤3 ≈ 93.9, k=4 ≈ 226.9 … k=17 ≈ 138.2,
        // k≥18 ≈ 93.0, all ≥ 5 as the chi-square approximation needs. 16 bins → 15 degrees of freedom.
        var bins = new List<(double Expected, int Observed)> { (Sum(pmf, 0, 3) * Draws, Sum(observed, 0, 3)) };
        for (var k = 4; k <= 17; k++) bins.Add((pmf[k] * Draws, observed[k]));
        bins.Add((Sum(pmf, 18, n) * Draws, Sum(observed, 18, n)));
        Assert.Equal(16, bins.Count);
        Assert.All(bins, b => Assert.True(b.Expected >= 5));
        Assert.Equal(Draws, bins.Sum(b => b.Observed));

        var chiSquare = bins.Sum(b => (b.Observed - b.Expected) * (b.Observed - b.Expected) / b.Expected);
        // χ²(15) upper 0.1% point = 37.697: a correct sampler exceeds it once in a thousand seeds.
        Assert.True(chiSquare < 37.697, $"chi-square {chiSquare:F2} with 15 df exceeds the 0.1% critical value 37.697");
    }

    private static double LogChoose(int n, int k)
    {
        double s = 0;
        for (var i = 1; i <= k; i++) s += Math.Log(n - k + i) - Math.Log(i);
        return s;
    }

    private static double Sum(double[] a, int from, int to) => a[from..(to + 1)].Sum();

    private static int Sum(int[] a, int from, int to) => a[from..(to + 1)].Sum();

    // ---------------------------------------------------------------- Multinomial

    [Fact]
    public void Multinomial_preserves_the_total()
    {
        var random = new Random(5);
        int[][] cases = [[30, 70], [1, 2, 3, 4], [0, 0, 5], [1000, 1, 0, 999], [7], [50, 0, 0, 0, 50]];
        foreach (var counts in cases)
        {
            var result = new int[counts.Length];
            for (var i = 0; i < 500; i++)
            {
                Sampling.Multinomial(random, counts, result);
                Assert.Equal(counts.Sum(), result.Sum());
                Assert.All(result, c => Assert.True(c >= 0));
            }
        }
    }

    [Fact]
    public void Multinomial_keeps_empty_categories_empty()
    {
        var random = new Random(6);
        int[] counts = [0, 12, 0, 8, 0];
        var result = new int[counts.Length];
        for (var i = 0; i < 2000; i++)
        {
            Sampling.Multinomial(random, counts, result);
            Assert.Equal(0, result[0]);
            Assert.Equal(0, result[2]);
            Assert.Equal(0, result[4]);
        }
    }

    [Fact]
    public void Multinomial_of_a_single_category_is_that_category()
    {
        var result = new int[3];
        Sampling.Multinomial(new Random(1), [0, 9, 0], result);
        Assert.Equal([0, 9, 0], result);
    }

    [Fact]
    public void Multinomial_of_nothing_is_all_zero()
    {
        int[] result = [5, 5, 5];
        Sampling.Multinomial(new Random(1), [0, 0, 0], result);
        Assert.Equal([0, 0, 0], result);
    }

    [Fact]
    public void Multinomial_means_are_n_times_the_shares()
    {
        // counts [30, 50, 20] (n = 100): category k ~ Binomial(100, share_k), mean = counts[k].
        // Largest SE(mean) is for share 0.5: sqrt(100·0.5·0.5 / 20000) = 0.0354 → tolerance 0.18 ≈ 5·SE.
        int[] counts = [30, 50, 20];
        var sums = new long[counts.Length];
        var result = new int[counts.Length];
        var random = new Random(11);
        for (var i = 0; i < Draws; i++)
        {
            Sampling.Multinomial(random, counts, result);
            for (var k = 0; k < counts.Length; k++) sums[k] += result[k];
        }
        for (var k = 0; k < counts.Length; k++) Assert.Equal(counts[k], (double)sums[k] / Draws, 0.18);
    }

    [Fact]
    public void Multinomial_is_deterministic_for_a_seed()
    {
        static int[] Draw(int seed)
        {
            var result = new int[4];
            Sampling.Multinomial(new Random(seed), [10, 20, 30, 40], result);
            return result;
        }
        Assert.Equal(Draw(3), Draw(3));
    }

    // ---------------------------------------------------------------- Building blocks

    [Fact]
    public void Beta_mean_matches_a_over_a_plus_b()
    {
        // Beta(3, 7): mean 0.3, variance ab/((a+b)²(a+b+1)) = 21/1100 = 0.01909; SE(mean) = sqrt(0.01909/20000) = 0.00098
        // → tolerance 0.005 ≈ 5·SE. Every value lies in (0, 1).
        var random = new Random(8);
        var x = Enumerable.Range(0, Draws).Select(_ => Sampling.Beta(random, 3, 7)).ToArray();
        Assert.All(x, v => Assert.InRange(v, 0, 1));
        Assert.Equal(0.3, x.Average(), 0.005);
    }

    [Theory]
    // Gamma(k, 1): mean k, variance k. SE(mean) = sqrt(k/20000); tolerance 5·SE.
    [InlineData(0.5, 0.025)]  // shape < 1 uses the U^(1/shape) boost; 5·sqrt(0.5/20000) = 0.025
    [InlineData(4.0, 0.071)]  // 5·sqrt(4/20000) = 0.0707
    public void Gamma_mean_matches_shape(double shape, double tolerance)
    {
        var random = new Random(9);
        var x = Enumerable.Range(0, Draws).Select(_ => Sampling.Gamma(random, shape)).ToArray();
        Assert.All(x, v => Assert.True(v > 0));
        Assert.Equal(shape, x.Average(), tolerance);
    }

    [Fact]
    public void StandardNormal_has_mean_zero_and_variance_one()
    {
        // SE(mean) = 1/sqrt(20000) = 0.0071 → 0.035; SE(var) = sqrt(2/19999) = 0.0100 → 0.05 (5·SE each)
        var random = new Random(10);
        var x = Enumerable.Range(0, Draws).Select(_ => Sampling.StandardNormal(random)).ToArray();
        var mean = x.Average();
        Assert.Equal(0, mean, 0.035);
        Assert.Equal(1, x.Sum(v => (v - mean) * (v - mean)) / (Draws - 1), 0.05);
    }
}
