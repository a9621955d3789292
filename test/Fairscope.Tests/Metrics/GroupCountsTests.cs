
namespace Fairscope.Tests;

/// <summary><see cref="GroupCounts"/>: labels → counts (unknown last) → frequencies with and without unknown.</summary>
public sealed class GroupCountsTests
{
    private static readonly DemographicAttribute Gender =
        new("gender", ["female", "male"], DemographicAttribute.Uniform(["female", "male"]), []);

    private static readonly DemographicAttribute Race =
        new("race", ["white", "black", "asian"], DemographicAttribute.Uniform(["white", "black", "asian"]), []);

    [Fact]
    public void From_counts_declared_categories_then_unknown()
    {
        var counts = GroupCounts.From(Gender, ["female", "male", "female", "unknown", "female"]);
        // female 3, male 1, unknown 1
        Assert.Equal([3, 1, 1], counts.Counts);
        Assert.Same(Gender, counts.Attribute);
    }

    [Fact]
    public void Unlisted_labels_count_as_unknown()
    {
        // "nonbinary" is not declared and "Female" is not "female" (labels match exactly): both are unknown.
        var counts = GroupCounts.From(Gender, ["female", "nonbinary", "Female", "male", "unknown"]);
        Assert.Equal([1, 1, 3], counts.Counts);
    }

    [Fact]
    public void No_labels_gives_all_zero_counts()
    {
        Assert.Equal([0, 0, 0, 0], GroupCounts.From(Race, []).Counts);
    }

    [Fact]
    public void ToDictionary_names_every_category_and_unknown()
    {
        var dictionary = GroupCounts.From(Race, ["asian", "asian", "white", "hispanic"]).ToDictionary();
        Assert.Equal(new Dictionary<string, int> { ["white"] = 1, ["black"] = 0, ["asian"] = 2, ["unknown"] = 1 }, dictionary);
    }

    [Fact]
    public void KnownFrequencies_exclude_unknown()
    {
        // counts female 2, male 1, unknown 2: known = 3 → [2/3, 1/3]
        var f = GroupCounts.KnownFrequencies([2, 1, 2]);
        Assert.NotNull(f);
        Assert.Equal(2, f.Length);
        Assert.Equal(2.0 / 3, f[0], 1e-12);
        Assert.Equal(1.0 / 3, f[1], 1e-12);
    }

    [Fact]
    public void AllFrequencies_include_unknown_last()
    {
        // counts 2, 1, 2: total = 5 → [0.4, 0.2, 0.4]
        var f = GroupCounts.AllFrequencies([2, 1, 2]);
        Assert.NotNull(f);
        Assert.Equal(3, f.Length);
        Assert.Equal(0.4, f[0], 1e-12);
        Assert.Equal(0.2, f[1], 1e-12);
        Assert.Equal(0.4, f[2], 1e-12);
    }

    [Fact]
    public void All_unknown_has_no_known_frequencies_but_all_frequencies_are_defined()
    {
        Assert.Null(GroupCounts.KnownFrequencies([0, 0, 4]));
        // 4 of 4 unknown → [0, 0, 1]
        Assert.Equal([0.0, 0.0, 1.0], GroupCounts.AllFrequencies([0, 0, 4])!);
    }

    [Fact]
    public void No_samples_has_no_frequencies()
    {
        Assert.Null(GroupCounts.KnownFrequencies([0, 0, 0]));
        Assert.Null(GroupCounts.AllFrequencies([0, 0, 0]));
    }

    [Fact]
    public void Known_frequencies_sum_to_one()
    {
        // [7, 0, 3, 10] → known 10 → [0.7, 0, 0.3]
        var f = GroupCounts.KnownFrequencies([7, 0, 3, 10])!;
        Assert.Equal([0.7, 0.0, 0.3], f);
        Assert.Equal(1.0, f.Sum(), 1e-12);
    }
}
