namespace Fairscope.Tests;

/// <summary><see cref="Agreement"/>: Cohen's kappa against hand-computed values, its edge cases and its bootstrap.</summary>
public sealed class AgreementTests
{
    private const double Tolerance = 1e-12;

    /// <summary>Label lists for a confusion matrix given as (first, second, count) cells.</summary>
    private static (List<string> First, List<string> Second) Labels(params (string First, string Second, int Count)[] cells)
    {
        var (first, second) = (new List<string>(), new List<string>());
        foreach (var (a, b, n) in cells)
            for (var i = 0; i < n; i++) { first.Add(a); second.Add(b); }
        return (first, second);
    }

    [Fact]
    public void Textbook_example()
    {
        // 50 proposals, two readers (Wikipedia, "Cohen's kappa"): both yes 20, A yes B no 5, A no B yes 10, both no 15.
        // p_o = 35/50 = 0.7; A says yes 25/50, B 30/50: p_e = 0.5·0.6 + 0.5·0.4 = 0.5; κ = (0.7 − 0.5)/(1 − 0.5) = 0.4
        var (a, b) = Labels(("yes", "yes", 20), ("yes", "no", 5), ("no", "yes", 10), ("no", "no", 15));
        Assert.Equal(0.4, Agreement.CohensKappa(a, b), Tolerance);
        // the same as a matrix, categories in ordinal order (no, yes), rows the first reader
        Assert.Equal(0.4, Agreement.CohensKappa([15, 10, 5, 20], 2), Tolerance);
        Assert.Equal(0.7, Agreement.ObservedAgreement([15, 10, 5, 20], 2), Tolerance);
    }

    [Fact]
    public void Same_observed_agreement_different_chance_agreement()
    {
        // both p_o = 0.6 (Wikipedia's pair). Rows 60/40, columns 70/30: p_e = 0.42 + 0.12 = 0.54, κ = 0.06/0.46
        Assert.Equal(0.06 / 0.46, Agreement.CohensKappa([45, 15, 25, 15], 2), Tolerance);
        // rows 60/40, columns 30/70: p_e = 0.18 + 0.28 = 0.46, κ = 0.14/0.54
        Assert.Equal(0.14 / 0.54, Agreement.CohensKappa([25, 35, 5, 35], 2), Tolerance);
    }

    [Fact]
    public void Three_categories_with_unknown_as_a_category()
    {
        //             second: female male unknown   rows
        // first female          8     1     1       10
        //       male            2     6     2       10
        //       unknown         0     1     9       10
        // columns              10     8    12       n = 30
        // Σ diag = 23; Σ r·c = 10·10 + 10·8 + 10·12 = 300; κ = (30·23 − 300)/(30² − 300) = 390/600 = 0.65
        var (a, b) = Labels(("female", "female", 8), ("female", "male", 1), ("female", "unknown", 1),
            ("male", "female", 2), ("male", "male", 6), ("male", "unknown", 2),
            ("unknown", "male", 1), ("unknown", "unknown", 9));
        Assert.Equal(0.65, Agreement.CohensKappa(a, b), Tolerance);
    }

    [Fact]
    public void Perfect_agreement_is_one_and_perfect_disagreement_minus_one()
    {
        string[] labels = ["female", "male", "unknown", "male", "female"];
        Assert.Equal(1.0, Agreement.CohensKappa(labels, labels), Tolerance);
        // balanced and always swapped: p_o = 0, p_e = 0.5 → κ = −1
        var (a, b) = Labels(("female", "male", 3), ("male", "female", 3));
        Assert.Equal(-1.0, Agreement.CohensKappa(a, b), Tolerance);
    }

    [Fact]
    public void Chance_agreement_is_zero()
    {
        // margins 1/2, 1/2 and p_o = 1/2 = p_e exactly
        Assert.Equal(0.0, Agreement.CohensKappa([1, 1, 1, 1], 2), Tolerance);
        // two annotators labelling independently at random: κ near 0
        var random = new Random(1);
        string[] categories = ["female", "male", "unknown"];
        var a = Enumerable.Range(0, 20_000).Select(_ => categories[random.Next(3)]).ToList();
        var b = Enumerable.Range(0, 20_000).Select(_ => categories[random.Next(3)]).ToList();
        Assert.InRange(Agreement.CohensKappa(a, b), -0.02, 0.02);
    }

    [Fact]
    public void One_label_throughout_is_undefined_and_one_constant_annotator_is_zero()
    {
        // both always "female": p_o = p_e = 1, κ = 0/0 → NaN (undefined), not 1 and not 0
        string[] female = ["female", "female", "female"];
        Assert.True(double.IsNaN(Agreement.CohensKappa(female, female)));
        // only the first is constant: rows (4, 0), columns (2, 2): p_e = 1/2 = p_o → κ = 0
        Assert.Equal(0.0, Agreement.CohensKappa(["female", "female", "female", "female"], ["female", "male", "female", "male"]), Tolerance);
        // no samples
        Assert.True(double.IsNaN(Agreement.CohensKappa([], [])));
        Assert.True(double.IsNaN(Agreement.ObservedAgreement([0, 0, 0, 0], 2)));
    }

    [Fact]
    public void Mismatched_inputs_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Agreement.CohensKappa(["a"], ["a", "b"]));
        Assert.Throws<ArgumentException>(() => Agreement.CohensKappa([1, 2, 3], 2));
        Assert.Throws<ArgumentException>(() => Agreement.Kappa(["a"], ["a"], new Bootstrap(10), ["p1", "p2"]));
    }

    [Fact]
    public void Bootstrap_interval_is_seeded_and_contains_the_estimate()
    {
        var (a, b) = Labels(("yes", "yes", 20), ("yes", "no", 5), ("no", "yes", 10), ("no", "no", 15));
        var estimate = Agreement.Kappa(a, b, new Bootstrap(500, 0.95, 3));
        Assert.Equal(50, estimate.Samples);
        Assert.Equal(0.7, estimate.ObservedAgreement!.Value, Tolerance);
        Assert.Equal(0.4, estimate.Kappa.Value!.Value, Tolerance);
        Assert.InRange(0.4, estimate.Kappa.CiLow!.Value, estimate.Kappa.CiHigh!.Value);
        // n = 50: the interval is wide but well inside [−1, 1]
        Assert.True(estimate.Kappa.CiHigh - estimate.Kappa.CiLow is > 0.2 and < 0.8);
        Assert.Equal(estimate, Agreement.Kappa(a, b, new Bootstrap(500, 0.95, 3)));
        Assert.NotEqual(estimate.Kappa, Agreement.Kappa(a, b, new Bootstrap(500, 0.95, 4)).Kappa);
    }

    [Fact]
    public void Resampling_within_strata_keeps_each_stratum()
    {
        // one sample per stratum: every resample is the data itself, so the interval collapses onto the estimate
        var (a, b) = Labels(("yes", "yes", 20), ("yes", "no", 5), ("no", "yes", 10), ("no", "no", 15));
        var strata = Enumerable.Range(0, a.Count).Select(i => $"p{i}").ToList();
        var kappa = Agreement.Kappa(a, b, new Bootstrap(100), strata).Kappa;
        Assert.Equal(0.4, kappa.CiLow!.Value, Tolerance);
        Assert.Equal(0.4, kappa.CiHigh!.Value, Tolerance);
    }

    [Fact]
    public void Undefined_kappa_has_no_value_and_no_interval()
    {
        var same = Agreement.Kappa(["female", "female"], ["female", "female"], new Bootstrap(100));
        Assert.Equal(2, same.Samples);
        Assert.Equal(1.0, same.ObservedAgreement);
        Assert.Equal(new Estimate(null, null, null, null), same.Kappa);

        var none = Agreement.Kappa([], [], new Bootstrap(100));
        Assert.Equal(0, none.Samples);
        Assert.Null(none.ObservedAgreement);
        Assert.Equal(new Estimate(null, null, null, null), none.Kappa);
    }
}
