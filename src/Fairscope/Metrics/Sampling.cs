namespace Fairscope;

/// <summary>
/// Exact random variates used by the bootstrap. Resampling n labelled samples with replacement and counting
/// labels gives Multinomial(n, observed shares) counts, so the bootstrap draws those counts directly: O(K log n)
/// per prompt instead of O(n), with the same distribution.
/// </summary>
public static class Sampling
{
    /// <summary>Counts of a resample of <paramref name="counts"/> (same total), by conditional binomials.</summary>
    public static void Multinomial(Random random, ReadOnlySpan<int> counts, Span<int> result)
    {
        long remainingWeight = 0;
        foreach (var c in counts) remainingWeight += c;
        var remaining = (int)remainingWeight;
        for (var k = 0; k < counts.Length; k++)
        {
            if (remaining == 0 || remainingWeight == 0) { result[k] = 0; continue; }
            var draw = counts[k] == remainingWeight ? remaining : Binomial(random, remaining, (double)counts[k] / remainingWeight);
            result[k] = draw;
            remaining -= draw;
            remainingWeight -= counts[k];
        }
    }

    /// <summary>Mean of a resample with replacement of <paramref name="values"/> (same size); NaN when there are none.</summary>
    public static double ResampledMean(Random random, ReadOnlySpan<double> values)
    {
        double sum = 0;
        for (var i = 0; i < values.Length; i++) sum += values[random.Next(values.Length)];
        return sum / values.Length;
    }

    /// <summary>
    /// Binomial(n, p) by Knuth's order-statistic recursion (TAOCP vol. 2, §3.4.1): the median of n uniforms is
    /// Beta(a, n+1−a); the uniforms on the far side of p are all decided at once, halving n each step.
    /// Below 32 trials, direct Bernoulli counting.
    /// </summary>
    public static int Binomial(Random random, int n, double p)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n));
        var k = 0;
        while (n > 32 && p > 0 && p < 1)
        {
            var a = 1 + n / 2;
            var b = n + 1 - a;
            var x = Beta(random, a, b);
            if (x >= p) { n = a - 1; p /= x; }
            else { k += a; n = b - 1; p = (p - x) / (1 - x); }
        }
        if (p <= 0) return k;
        if (p >= 1) return k + n;
        for (var i = 0; i < n; i++) if (random.NextDouble() < p) k++;
        return k;
    }

    /// <summary>Beta(a, b) as X/(X+Y) of two gamma variates.</summary>
    public static double Beta(Random random, double a, double b)
    {
        var x = Gamma(random, a);
        return x / (x + Gamma(random, b));
    }

    /// <summary>Gamma(shape, 1) by Marsaglia &amp; Tsang 2000 (shape ≥ 1; smaller shapes via the U^(1/shape) boost).</summary>
    public static double Gamma(Random random, double shape)
    {
        if (shape < 1) return Gamma(random, shape + 1) * Math.Pow(random.NextDouble(), 1 / shape);
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do { x = StandardNormal(random); v = 1 + c * x; } while (v <= 0);
            v = v * v * v;
            var u = random.NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }

    /// <summary>Standard normal by Marsaglia's polar method.</summary>
    public static double StandardNormal(Random random)
    {
        double u, v, s;
        do
        {
            u = 2 * random.NextDouble() - 1;
            v = 2 * random.NextDouble() - 1;
            s = u * u + v * v;
        } while (s is >= 1 or 0);
        return u * Math.Sqrt(-2 * Math.Log(s) / s);
    }
}
