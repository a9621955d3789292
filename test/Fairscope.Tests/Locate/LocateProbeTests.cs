using System.Text.Json;

namespace Fairscope.Tests;

/// <summary><see cref="LogisticRegression"/> and <see cref="LinearProbe"/>.</summary>
public sealed class LocateProbeTests
{
    private static IReadOnlyDictionary<string, IReadOnlyList<string?>> Labels(string attribute, params string?[] labels) =>
        new Dictionary<string, IReadOnlyList<string?>> { [attribute] = labels };

    // 20 rows of "a" left of 0 on the first feature, 20 of "b" right of it; the second feature is noise.
    private static (double[][] Features, string?[] Labels) Separable()
    {
        var random = new Random(7);
        var features = Enumerable.Range(0, 40).Select(i => new[] { (i < 20 ? -1 : 1) * (1 + (i % 20) * 0.1), random.NextDouble() }).ToArray();
        return (features, [.. Enumerable.Range(0, 40).Select(i => i < 20 ? "a" : "b")]);
    }

    [Fact]
    public void Held_out_accuracy_by_hand()
    {
        // Trained on a at −2, −1 and b at 1, 2: symmetric, so the boundary is 0. Test rows −1.5 (a), 0.5 (b) and 3 (labelled
        // a) are predicted a, b, b: 2 of 3 right.
        var model = LogisticRegression.Fit([[-2.0], [-1.0], [1.0], [2.0]], [0, 0, 1, 1], classes: 2, l2: 1e-3);
        var predicted = new[] { -1.5, 0.5, 3 }.Select(x => model.Predict([x])).ToList();
        Assert.Equal([0, 1, 1], predicted);
        Assert.Equal(2 / 3.0, LinearProbe.Accuracy([0, 1, 0], predicted), 12);
    }

    [Fact]
    public void Three_classes_are_separated()
    {
        double[][] rows = [[0, 0], [0.2, 0.1], [5, 0], [5.1, 0.3], [0, 5], [0.2, 5.2]];
        var model = LogisticRegression.Fit(rows, [0, 0, 1, 1, 2, 2], classes: 3, l2: 1e-3);
        Assert.Equal([0, 1, 2], new double[][] { [0.1, -0.1], [4.8, 0.1], [-0.1, 4.9] }.Select(model.Predict));
    }

    [Fact]
    public void A_linearly_separable_attribute_is_probed_perfectly()
    {
        var (features, labels) = Separable();
        var result = Assert.Single(LinearProbe.Evaluate(features, Labels("gender", labels), new ProbeOptions()));
        // Each class holds out round(20 · 0.25) = 5 rows; the training set is 15–15, so the majority class is the first, "a",
        // right on 5 of the 10 test rows.
        Assert.Equal((30, 10), (result.Train, result.Test));
        Assert.Equal(1.0, result.Accuracy.Value);
        Assert.Equal(("a", 0.5), (result.MajorityClass, result.MajorityBaseline));
        Assert.Equal(new Dictionary<string, int> { ["a"] = 5, ["b"] = 5 }, result.TestCounts);
    }

    [Fact]
    public void An_uninformative_feature_scores_the_majority_baseline()
    {
        // A constant feature: the probe can only learn the prior and answers "a" throughout. 12 a and 4 b hold out 3 and 1,
        // so accuracy = baseline = 3/4. The unlabelled rows (empty, unknown) are left out.
        var labels = Enumerable.Repeat("a", 12).Concat(Enumerable.Repeat("b", 4)).Append("").Append("unknown").ToArray();
        var features = labels.Select(_ => new[] { 1.0 }).ToArray();
        var result = Assert.Single(LinearProbe.Evaluate(features, Labels("race", labels), new ProbeOptions()));
        Assert.Equal((12, 4), (result.Train, result.Test));
        Assert.Equal(0.75, result.Accuracy.Value);
        Assert.Equal(0.75, result.MajorityBaseline);
        Assert.Equal(["a", "b"], result.Classes);
    }

    [Fact]
    public void Same_seed_same_result()
    {
        var random = new Random(3);
        var features = Enumerable.Range(0, 60).Select(_ => new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() }).ToArray();
        var labels = features.Select(f => f[0] + 0.3 * random.NextDouble() > 0.6 ? "x" : "y").ToArray();
        string Run(int seed) => JsonSerializer.Serialize(LinearProbe.Evaluate(features, Labels("g", labels), new ProbeOptions(Seed: seed)));
        Assert.Equal(Run(4), Run(4));
    }

    [Fact]
    public void An_attribute_needs_two_classes_and_one_label_per_row()
    {
        double[][] features = [[1], [2], [3]];
        Assert.Contains("attribute 'gender' has only class 'a'", Assert.Throws<FairscopeException>(
            () => LinearProbe.Evaluate(features, Labels("gender", "a", "a", "unknown"), new ProbeOptions())).Message);
        Assert.Contains("2 labels for 3 feature rows", Assert.Throws<FairscopeException>(
            () => LinearProbe.Evaluate(features, Labels("gender", "a", "b"), new ProbeOptions())).Message);
        Assert.Contains("--held-out 1", Assert.Throws<FairscopeException>(
            () => LinearProbe.Evaluate(features, Labels("gender", "a", "b", "a"), new ProbeOptions(HeldOut: 1))).Message);
    }
}
