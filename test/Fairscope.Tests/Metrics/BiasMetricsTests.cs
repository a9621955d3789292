using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Fairscope.Tests;

/// <summary>
/// <see cref="BiasMetrics"/> against values worked out by hand (arithmetic in the comments), plus FsCheck
/// properties over random distributions.
/// </summary>
public sealed class BiasMetricsTests
{
    private const double Exact = 1e-9;   // values whose arithmetic is exact or carried to full precision
    private const double Rounded = 1e-6; // values rounded by hand

    // ---------------------------------------------------------------- BiasScore

    [Fact]
    public void BiasScore_two_classes_is_the_absolute_difference()
    {
        // |0.8 − 0.2| / C(2,2) = 0.6 / 1 = 0.6
        Assert.Equal(0.6, BiasMetrics.BiasScore([0.8, 0.2]), Exact);
        // order does not matter: |0.2 − 0.8| = 0.6
        Assert.Equal(0.6, BiasMetrics.BiasScore([0.2, 0.8]), Exact);
    }

    [Fact]
    public void BiasScore_three_classes_is_the_mean_over_pairs()
    {
        // pairs: |0.5−0.3| = 0.2, |0.5−0.2| = 0.3, |0.3−0.2| = 0.1; C(3,2) = 3 → (0.2+0.3+0.1)/3 = 0.6/3 = 0.2
        Assert.Equal(0.2, BiasMetrics.BiasScore([0.5, 0.3, 0.2]), Exact);
    }

    [Fact]
    public void BiasScore_is_zero_for_uniform()
    {
        // every pair differs by 0
        Assert.Equal(0.0, BiasMetrics.BiasScore([0.5, 0.5]), Exact);
        Assert.Equal(0.0, BiasMetrics.BiasScore([0.25, 0.25, 0.25, 0.25]), Exact);
    }

    [Fact]
    public void BiasScore_maximum_is_two_over_K()
    {
        // K=2, one-hot: |1 − 0| / 1 = 1
        Assert.Equal(1.0, BiasMetrics.BiasScore([1, 0]), Exact);
        // K=3, one-hot: pairs |1−0|, |1−0|, |0−0| = 2; 2/3 = 2/K
        Assert.Equal(2.0 / 3, BiasMetrics.BiasScore([1, 0, 0]), Exact);
        // K=4, one-hot: pairs with the 1: three of 1, others 0 → 3 / C(4,2) = 3/6 = 0.5 = 2/K
        Assert.Equal(0.5, BiasMetrics.BiasScore([0, 0, 1, 0]), Exact);
    }

    [Fact]
    public void BiasScore_needs_two_classes()
    {
        Assert.Throws<ArgumentException>(() => BiasMetrics.BiasScore([1.0]));
        Assert.Throws<ArgumentException>(() => BiasMetrics.BiasScore([]));
    }

    // ---------------------------------------------------------------- Kullback–Leibler

    [Fact]
    public void KullbackLeibler_hand_value_in_bits()
    {
        // 0.75·log2(0.75/0.5) + 0.25·log2(0.25/0.5) = 0.75·log2(1.5) + 0.25·log2(0.5)
        //   = 0.75·0.5849625007 − 0.25 = 0.4387218755 − 0.25 = 0.1887218755
        Assert.Equal(0.75 * Math.Log2(1.5) + 0.25 * Math.Log2(0.5), BiasMetrics.KullbackLeibler([0.75, 0.25], [0.5, 0.5]), Exact);
        Assert.Equal(0.188722, BiasMetrics.KullbackLeibler([0.75, 0.25], [0.5, 0.5]), Rounded);
    }

    [Fact]
    public void KullbackLeibler_is_not_symmetric()
    {
        // KL([0.5,0.5] ‖ [0.75,0.25]) = 0.5·log2(0.5/0.75) + 0.5·log2(0.5/0.25) = 0.5·(−0.5849625) + 0.5·1 = 0.2075187
        Assert.Equal(0.207519, BiasMetrics.KullbackLeibler([0.5, 0.5], [0.75, 0.25]), Rounded);
        Assert.True(Math.Abs(BiasMetrics.KullbackLeibler([0.5, 0.5], [0.75, 0.25]) - BiasMetrics.KullbackLeibler([0.75, 0.25], [0.5, 0.5])) > 1e-3);
    }

    [Fact]
    public void KullbackLeibler_is_zero_for_equal_distributions()
    {
        // every term is p·log2(1) = 0
        Assert.Equal(0.0, BiasMetrics.KullbackLeibler([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]), Exact);
    }

    [Fact]
    public void KullbackLeibler_is_infinite_when_target_has_zero_where_observed_has_mass()
    {
        // p_2 = 0.5 > 0 but q_2 = 0: the term 0.5·log2(0.5/0) diverges
        Assert.Equal(double.PositiveInfinity, BiasMetrics.KullbackLeibler([0.5, 0.5], [1, 0]));
    }

    [Fact]
    public void KullbackLeibler_skips_categories_the_observed_distribution_lacks()
    {
        // 1·log2(1/0.5) + (0·log2(0/0.5) := 0) = 1
        Assert.Equal(1.0, BiasMetrics.KullbackLeibler([1, 0], [0.5, 0.5]), Exact);
        // both zero in a category: the term is skipped, 1·log2(1/1) = 0
        Assert.Equal(0.0, BiasMetrics.KullbackLeibler([1, 0], [1, 0]), Exact);
    }

    [Fact]
    public void Two_distribution_metrics_reject_different_lengths()
    {
        Assert.Throws<ArgumentException>(() => BiasMetrics.KullbackLeibler([0.5, 0.5], [0.2, 0.3, 0.5]));
        Assert.Throws<ArgumentException>(() => BiasMetrics.JensenShannon([0.5, 0.5], [0.2, 0.3, 0.5]));
        Assert.Throws<ArgumentException>(() => BiasMetrics.TotalVariation([0.5, 0.5], [0.2, 0.3, 0.5]));
        Assert.Throws<ArgumentException>(() => BiasMetrics.MaxSkew([0.5, 0.5], [0.2, 0.3, 0.5]));
    }

    // ---------------------------------------------------------------- Jensen–Shannon

    [Fact]
    public void JensenShannon_of_disjoint_distributions_is_one_bit()
    {
        // m = [0.5, 0.5]; ½·1·log2(1/0.5) + ½·1·log2(1/0.5) = ½ + ½ = 1
        Assert.Equal(1.0, BiasMetrics.JensenShannon([1, 0], [0, 1]), Exact);
        Assert.Equal(1.0, BiasMetrics.JensenShannon([0.5, 0.5, 0], [0, 0, 1]), Exact);
    }

    [Fact]
    public void JensenShannon_hand_value()
    {
        // p = [1, 0], q = [0.5, 0.5], m = [0.75, 0.25]
        // KL(p‖m) = 1·log2(1/0.75) = log2(4/3) = 0.4150375
        // KL(q‖m) = 0.5·log2(0.5/0.75) + 0.5·log2(0.5/0.25) = 0.5·(−0.5849625) + 0.5·1 = 0.2075187
        // JS = ½(0.4150375 + 0.2075187) = ½·0.6225562 = 0.3112781
        Assert.Equal(0.5 * Math.Log2(4.0 / 3) + 0.5 * (0.5 * Math.Log2(2.0 / 3) + 0.5), BiasMetrics.JensenShannon([1, 0], [0.5, 0.5]), Exact);
        Assert.Equal(0.311278, BiasMetrics.JensenShannon([1, 0], [0.5, 0.5]), Rounded);
    }

    [Fact]
    public void JensenShannon_second_hand_value()
    {
        // p = [0.75, 0.25], q = [0.5, 0.5], m = [0.625, 0.375]
        // KL(p‖m) = 0.75·log2(1.2) + 0.25·log2(2/3) = 0.75·0.2630344 − 0.25·0.5849625 = 0.1972758 − 0.1462406 = 0.0510352
        // KL(q‖m) = 0.5·log2(0.8) + 0.5·log2(4/3) = −0.1609640 + 0.2075187 = 0.0465547
        // JS = ½(0.0510352 + 0.0465547) = 0.0487949
        Assert.Equal(0.048795, BiasMetrics.JensenShannon([0.75, 0.25], [0.5, 0.5]), Rounded);
    }

    [Fact]
    public void JensenShannon_is_symmetric_and_zero_on_equal()
    {
        double[] p = [0.6, 0.3, 0.1], q = [0.2, 0.2, 0.6];
        Assert.Equal(BiasMetrics.JensenShannon(p, q), BiasMetrics.JensenShannon(q, p), 1e-15);
        Assert.Equal(0.0, BiasMetrics.JensenShannon(p, p), Exact);
    }

    // ---------------------------------------------------------------- Total variation

    [Fact]
    public void TotalVariation_hand_values()
    {
        // ½(|0.7−0.5| + |0.3−0.5|) = ½(0.2 + 0.2) = 0.2
        Assert.Equal(0.2, BiasMetrics.TotalVariation([0.7, 0.3], [0.5, 0.5]), Exact);
        // ½(|0.5−⅓| + |0.3−⅓| + |0.2−⅓|) = ½(1/6 + 1/30 + 2/15) = ½(5/30 + 1/30 + 4/30) = ½·⅓ = 1/6
        Assert.Equal(1.0 / 6, BiasMetrics.TotalVariation([0.5, 0.3, 0.2], [1.0 / 3, 1.0 / 3, 1.0 / 3]), Exact);
        // disjoint: ½(1 + 1) = 1; equal: 0
        Assert.Equal(1.0, BiasMetrics.TotalVariation([1, 0], [0, 1]), Exact);
        Assert.Equal(0.0, BiasMetrics.TotalVariation([0.4, 0.6], [0.4, 0.6]), Exact);
    }

    [Fact]
    public void TotalVariation_never_exceeds_one()
    {
        // p = [0, 14, 24, 19, 28]/85 and q = [1, 0, 0, 0, 0] are disjoint: TV should be exactly 1.
        double[] p = [0, 14 / 85.0, 24 / 85.0, 19 / 85.0, 28 / 85.0];
        double[] q = [1, 0, 0, 0, 0];
        Assert.True(BiasMetrics.TotalVariation(p, q) <= 1, $"TV = {BiasMetrics.TotalVariation(p, q):R}");
    }

    // ---------------------------------------------------------------- Normalised entropy

    [Fact]
    public void NormalizedEntropy_hand_values()
    {
        // uniform over K: −K·(1/K)·ln(1/K) / ln K = ln K / ln K = 1
        Assert.Equal(1.0, BiasMetrics.NormalizedEntropy([0.5, 0.5]), Exact);
        Assert.Equal(1.0, BiasMetrics.NormalizedEntropy([0.25, 0.25, 0.25, 0.25]), Exact);
        // one-hot: −1·ln 1 = 0
        Assert.Equal(0.0, BiasMetrics.NormalizedEntropy([0, 1, 0]), Exact);
        // [0.5, 0.5, 0]: −2·0.5·ln 0.5 / ln 3 = ln 2 / ln 3 = 0.6931472 / 1.0986123 = 0.6309298
        Assert.Equal(Math.Log(2) / Math.Log(3), BiasMetrics.NormalizedEntropy([0.5, 0.5, 0]), Exact);
        Assert.Equal(0.630930, BiasMetrics.NormalizedEntropy([0.5, 0.5, 0]), Rounded);
        // [0.75, 0.25]: −(0.75·ln 0.75 + 0.25·ln 0.25) / ln 2 = (0.2157616 + 0.3465736) / 0.6931472 = 0.5623351 / 0.6931472 = 0.8112781
        Assert.Equal(0.811278, BiasMetrics.NormalizedEntropy([0.75, 0.25]), Rounded);
    }

    [Fact]
    public void NormalizedEntropy_needs_two_classes()
    {
        Assert.Throws<ArgumentException>(() => BiasMetrics.NormalizedEntropy([1.0]));
    }

    // ---------------------------------------------------------------- DeviationRatio

    [Fact]
    public void DeviationRatio_hand_values()
    {
        // MIST's form, K = 4 uniform: max |p − ¼| = |0.7 − 0.25| = 0.45; / (1 − ¼) = 0.45 / 0.75 = 0.6
        Assert.Equal(0.6, BiasMetrics.DeviationRatio([0.7, 0.1, 0.1, 0.1], [0.25, 0.25, 0.25, 0.25]), Exact);
        // all mass in one of K = 3 classes: (1 − ⅓) / (1 − ⅓) = 1
        Assert.Equal(1.0, BiasMetrics.DeviationRatio([1, 0, 0], [1 / 3.0, 1 / 3.0, 1 / 3.0]), Exact);
        // at the target: 0
        Assert.Equal(0.0, BiasMetrics.DeviationRatio([0.5, 0.5], [0.5, 0.5]), Exact);
        // a non-uniform target [0.8, 0.2], observed [0.5, 0.5]: max(0.3, 0.3) / (1 − 0.2) = 0.375
        Assert.Equal(0.375, BiasMetrics.DeviationRatio([0.5, 0.5], [0.8, 0.2]), Exact);
    }

    // ---------------------------------------------------------------- MaxSkew

    [Fact]
    public void MaxSkew_hand_values()
    {
        // max(ln(0.75/0.5), ln(0.25/0.5)) = max(ln 1.5, ln 0.5) = ln 1.5 = 0.4054651
        Assert.Equal(Math.Log(1.5), BiasMetrics.MaxSkew([0.75, 0.25], [0.5, 0.5]), Exact);
        Assert.Equal(0.405465, BiasMetrics.MaxSkew([0.75, 0.25], [0.5, 0.5]), Rounded);
        // at the target every ratio is 1: max(ln 1, ...) = 0
        Assert.Equal(0.0, BiasMetrics.MaxSkew([0.2, 0.8], [0.2, 0.8]), Exact);
        // an empty observed category gives −∞ for itself; the other: ln(1/0.5) = ln 2
        Assert.Equal(Math.Log(2), BiasMetrics.MaxSkew([0, 1], [0.5, 0.5]), Exact);
    }

    [Fact]
    public void MaxSkew_skips_categories_with_zero_target()
    {
        // q_3 = 0 is skipped; max(ln(0.6/0.5), ln(0.4/0.5)) = max(ln 1.2, ln 0.8) = ln 1.2 = 0.1823216
        Assert.Equal(0.182322, BiasMetrics.MaxSkew([0.6, 0.4, 0], [0.5, 0.5, 0]), Rounded);
    }

    // ---------------------------------------------------------------- Properties

    /// <summary>Random distributions made by normalising positive integers.</summary>
    public static class Distributions
    {
        /// <summary>Positive weights 1..1000 normalised to sum 1.</summary>
        public static Gen<double[]> Of(int k) =>
            Gen.ArrayOf(Gen.Choose(1, 1000), k).Select(w => { var s = (double)w.Sum(); return w.Select(x => x / s).ToArray(); });

        /// <summary>Non-negative weights 0..5 (zeros are common), at least one positive, normalised.</summary>
        public static Gen<double[]> WithZerosOf(int k) =>
            Gen.ArrayOf(Gen.Choose(0, 5), k).Where(w => w.Sum() > 0).Select(w => { var s = (double)w.Sum(); return w.Select(x => x / s).ToArray(); });

        public static Arbitrary<DistributionPair> Pairs() => Arb.From(
            from k in Gen.Choose(2, 8)
            from zeros in Gen.Elements(false, true)
            from p in zeros ? WithZerosOf(k) : Of(k)
            from q in zeros ? WithZerosOf(k) : Of(k)
            select new DistributionPair(p, q));
    }

    /// <summary>Two distributions over the same K categories.</summary>
    public sealed record DistributionPair(double[] P, double[] Q)
    {
        public bool HasZeros => P.Contains(0) || Q.Contains(0);

        public override string ToString() => $"P=[{string.Join(", ", P)}] Q=[{string.Join(", ", Q)}]";
    }

    [Property(Replay = "(1234567,7654323)")]
    public void BiasScore_for_two_classes_is_in_unit_interval_and_equals_the_difference(PositiveInt a, PositiveInt b)
    {
        double f1 = (double)a.Get / ((double)a.Get + b.Get), f2 = (double)b.Get / ((double)a.Get + b.Get);
        var score = BiasMetrics.BiasScore([f1, f2]);
        Assert.InRange(score, 0, 1);
        Assert.Equal(Math.Abs(f1 - f2), score, 1e-12);
    }

    [Property(Arbitrary = new[] { typeof(Distributions) }, Replay = "(2345671,6543219)")]
    public void JensenShannon_is_symmetric_and_in_unit_interval(DistributionPair d)
    {
        var pq = BiasMetrics.JensenShannon(d.P, d.Q);
        var qp = BiasMetrics.JensenShannon(d.Q, d.P);
        Assert.InRange(pq, 0, 1);
        Assert.Equal(pq, qp, 1e-12);
    }

    [Property(Arbitrary = new[] { typeof(Distributions) }, Replay = "(3456712,5432177)")]
    public void TotalVariation_is_in_unit_interval(DistributionPair d)
    {
        var tv = BiasMetrics.TotalVariation(d.P, d.Q);
        Assert.InRange(tv, 0, 1 + 1e-12);
        Assert.Equal(tv, BiasMetrics.TotalVariation(d.Q, d.P), 1e-15);
    }

    [Property(Arbitrary = new[] { typeof(Distributions) }, Replay = "(4567123,4321767)")]
    public void KullbackLeibler_is_non_negative(DistributionPair d)
    {
        // +∞ (p has mass where q has none) also satisfies ≥ 0; NaN would not.
        Assert.True(BiasMetrics.KullbackLeibler(d.P, d.Q) >= 0);
        Assert.True(BiasMetrics.KullbackLeibler(d.P, d.P) >= 0);
    }

    [Property(Arbitrary = new[] { typeof(Distributions) }, Replay = "(5671234,3217655)")]
    public void KullbackLeibler_is_finite_for_positive_distributions(DistributionPair d)
    {
        if (d.HasZeros) return;
        Assert.True(double.IsFinite(BiasMetrics.KullbackLeibler(d.P, d.Q)));
    }

    [Property(Arbitrary = new[] { typeof(Distributions) }, Replay = "(6712345,2176545)")]
    public void NormalizedEntropy_is_in_unit_interval(DistributionPair d)
    {
        Assert.InRange(BiasMetrics.NormalizedEntropy(d.P), 0, 1);
        Assert.InRange(BiasMetrics.NormalizedEntropy(d.Q), 0, 1);
    }
}
