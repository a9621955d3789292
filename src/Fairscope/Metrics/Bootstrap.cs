namespace Fairscope;

/// <summary>
/// Seeded percentile bootstrap (Efron &amp; Tibshirani 1993, ch. 13): a statistic is recomputed on
/// <see cref="Resamples"/> resamples of the samples (each prompt resampled within itself, as the research
/// protocol prescribes) and the interval is the (α/2, 1 − α/2) quantiles of the replicates. Replicate b uses
/// a generator seeded from (seed, b), so results do not depend on thread scheduling: same seed, same interval.
/// </summary>
public sealed record Bootstrap(int Resamples = 1000, double Level = 0.95, int Seed = 0)
{
    /// <summary>Runs <paramref name="replicate"/> for every resample, in parallel, and returns the values in order.</summary>
    public double[][] Replicates(Func<Random, double[]> replicate)
    {
        var results = new double[Resamples][];
        Parallel.For(0, Resamples, b => results[b] = replicate(new Random(ReplicateSeed(Seed, b))));
        return results;
    }

    // SplitMix64 finaliser: a fixed mix (HashCode.Combine is randomised per process, so it would break "same seed, same result").
    private static int ReplicateSeed(int seed, int replicate)
    {
        var z = ((ulong)(uint)seed << 32 | (uint)replicate) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    /// <summary>Percentile interval of the finite values among <paramref name="replicates"/>; null when fewer
    /// than half of the replicates are defined (the statistic is too unstable to bound).</summary>
    public (double Low, double High)? Interval(IEnumerable<double> replicates)
    {
        var values = replicates.Where(double.IsFinite).ToArray();
        if (values.Length == 0 || values.Length * 2 < Resamples) return null;
        Array.Sort(values);
        var alpha = (1 - Level) / 2;
        return (Quantile(values, alpha), Quantile(values, 1 - alpha));
    }

    /// <summary>A point estimate with its interval and bootstrap bias; non-finite values become null.</summary>
    public Estimate Estimate(double point, IReadOnlyList<double> replicates)
    {
        var interval = Interval(replicates);
        return new Estimate(double.IsFinite(point) ? point : null, interval?.Low, interval?.High, BiasOf(replicates, point));
    }

    /// <summary>The mean of <paramref name="values"/> (of 0/1 outcomes it is a proportion, such as an accuracy or a hit rate)
    /// with the percentile interval of resampled means; undefined for no values.</summary>
    public Estimate Mean(double[] values)
    {
        if (values.Length == 0) return Estimate(double.NaN, []);
        var replicates = Replicates(random => [Sampling.ResampledMean(random, values)]).Select(r => r[0]).ToArray();
        return Estimate(values.Average(), replicates);
    }

    /// <summary>Mean of the finite replicates minus <paramref name="estimate"/>: the bootstrap estimate of the
    /// estimator's bias (Efron &amp; Tibshirani 1993, §10.2); null when undefined.</summary>
    public static double? BiasOf(IEnumerable<double> replicates, double estimate)
    {
        if (!double.IsFinite(estimate)) return null;
        var values = replicates.Where(double.IsFinite).ToArray();
        return values.Length == 0 ? null : values.Average() - estimate;
    }

    /// <summary>Linear-interpolation quantile of sorted values (Hyndman &amp; Fan type 7, as numpy's default).</summary>
    public static double Quantile(double[] sorted, double q)
    {
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
