namespace Fairscope.Tests;

/// <summary><see cref="TokenLocator"/>: nearest group, dominant group, hits and their summary.</summary>
public sealed class LocateTokenLocatorTests
{
    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Gender(params (string Label, int Count)[] counts) =>
        new Dictionary<string, IReadOnlyDictionary<string, int>> { ["gender"] = counts.ToDictionary(c => c.Label, c => c.Count) };

    private static TokenConcept Concept(string name, double[] neutral, double[] female, double[] male, params (string, int)[] perceived) =>
        new(name, neutral, [new GroupTokens("gender", "female", female), new GroupTokens("gender", "male", male)], Gender(perceived));

    [Fact]
    public void Dominant_leaves_unknown_out_and_has_none_on_a_tie()
    {
        Assert.Equal(("female", 7 / 9.0, 9), TokenLocator.Dominant(new Dictionary<string, int> { ["female"] = 7, ["male"] = 2, ["unknown"] = 5 }));
        Assert.Equal((null, null, 4), TokenLocator.Dominant(new Dictionary<string, int> { ["female"] = 2, ["male"] = 2 }));
        Assert.Equal((null, null, 0), TokenLocator.Dominant(new Dictionary<string, int> { ["unknown"] = 3 }));
    }

    [Fact]
    public void Nearest_is_the_smallest_divergence_and_ties_go_to_the_first_name() =>
        Assert.Equal("b", TokenLocator.Nearest(new Dictionary<string, double> { ["c"] = 0.1, ["b"] = 0.1, ["a"] = 0.3 }));

    [Fact]
    public void Two_concepts_one_hit_one_miss_and_a_tie_left_out()
    {
        // nurse: the neutral histogram equals the female one (JSD 0, the male one is further): nearest female; perceived
        // female 7, male 2 (5 unknown left out): dominant female, share 7/9 = 0.7778, a hit.
        // engineer: nearest female again, but perceived male 3, female 1: dominant male, share 0.75, a miss.
        // teacher: perceived 2–2, no dominant group: no hit either way, and left out of the rate.
        // Hit rate 1/2 = 0.5; mean dominant share (0.7778 + 0.75) / 2 = 0.76389.
        var concepts = new[]
        {
            Concept("nurse", [8, 2, 0], [8, 2, 0], [0, 2, 8], ("female", 7), ("male", 2), ("unknown", 5)),
            Concept("engineer", [6, 4, 0], [6, 4, 0], [1, 1, 8], ("male", 3), ("female", 1)),
            Concept("teacher", [1, 1, 1], [1, 1, 0], [0, 1, 1], ("male", 2), ("female", 2)),
        };
        var result = TokenLocator.Locate(concepts, new Bootstrap(200));

        Assert.Equal([true, false, null], result.Locations.Select(l => l.Hit));
        Assert.Equal(["female", "female", "female"], result.Locations.Select(l => l.Nearest));
        Assert.Equal(0, result.Locations[0].Divergences["female"]);
        Assert.Equal(9, result.Locations[0].Labelled);
        var summary = Assert.Single(result.Attributes);
        Assert.Equal((3, 2), (summary.Concepts, summary.WithDominant));
        Assert.Equal(0.5, summary.HitRate.Value);
        Assert.Equal(0.76389, summary.MeanDominantShare!.Value, 5);
        // Resampling two concepts gives 0, 0.5 or 1: the 95% interval spans all of it.
        Assert.Equal((0.0, 1.0), (summary.HitRate.CiLow, summary.HitRate.CiHigh));
    }

    [Fact]
    public void An_attribute_needs_two_groups()
    {
        var concept = new TokenConcept("nurse", [1, 1], [new GroupTokens("gender", "female", [1, 0])], Gender());
        Assert.Contains("only group 'female'", Assert.Throws<FairscopeException>(() => TokenLocator.Locate([concept], new Bootstrap())).Message);
    }

    [Fact]
    public void Without_a_dominant_group_the_hit_rate_is_undefined()
    {
        var result = TokenLocator.Locate([Concept("nurse", [1, 1], [1, 0], [0, 1])], new Bootstrap(50));
        Assert.Null(result.Attributes[0].HitRate.Value);
        Assert.Null(result.Attributes[0].MeanDominantShare);
    }
}
