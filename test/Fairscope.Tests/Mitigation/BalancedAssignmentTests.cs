namespace Fairscope.Tests;

public sealed class BalancedAssignmentTests
{
    private static DemographicAttribute Attribute(string name, params (string Category, double Share)[] target) =>
        new(name, [.. target.Select(t => t.Category)], target.ToDictionary(t => t.Category, t => t.Share), []);

    private static readonly DemographicAttribute Gender = Attribute("gender", ("female", 0.5), ("male", 0.5));
    private static readonly DemographicAttribute Race = Attribute("race", ("white", 0.25), ("black", 0.25), ("asian", 0.25), ("hispanic", 0.25));
    private static readonly DemographicAttribute Age = Attribute("age", ("young", 1 / 3.0), ("middle_aged", 1 / 3.0), ("older", 1 / 3.0));

    [Theory]
    [InlineData(10, 5, 5)]
    [InlineData(7, 4, 3)]
    [InlineData(1, 1, 0)]
    public void UniformGenderSplitsEachPromptExactly(int n, int female, int male)
    {
        var assignment = new BalancedAssignment([Gender]);

        var labels = Enumerable.Range(0, n).Select(i => assignment.ForIndex(i)[0]).ToList();

        Assert.Equal(female, labels.Count(l => l == "female"));
        Assert.Equal(male, labels.Count(l => l == "male"));
    }

    [Fact]
    public void NonUniformTargetGivesFloorOrCeilingCounts()
    {
        // 20 samples at (0.6, 0.3, 0.1): exactly 12, 6, 2.
        var assignment = new BalancedAssignment([Attribute("age", ("young", 0.6), ("middle_aged", 0.3), ("older", 0.1))]);

        var labels = Enumerable.Range(0, 20).Select(i => assignment.ForIndex(i)[0]).ToList();

        Assert.Equal([12, 6, 2], new[] { "young", "middle_aged", "older" }.Select(c => labels.Count(l => l == c)));
    }

    [Fact]
    public void EveryPrefixOfEveryAttributeStaysWithinQuotaForRandomTargets()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 200; trial++)
        {
            var attributes = Enumerable.Range(0, random.Next(1, 4)).Select(j =>
            {
                var weights = Enumerable.Range(0, random.Next(2, 6)).Select(_ => random.NextDouble() + 0.01).ToArray();
                return Attribute($"a{j}", [.. weights.Select((w, k) => ($"c{k}", w / weights.Sum()))]);
            }).ToList();
            var assignment = new BalancedAssignment(attributes);
            var counts = attributes.Select(a => new int[a.Categories.Count]).ToArray();
            for (var n = 1; n <= 60; n++)
            {
                var labels = assignment.ForIndex(n - 1);
                for (var j = 0; j < attributes.Count; j++)
                {
                    counts[j][attributes[j].Categories.ToList().IndexOf(labels[j])]++;
                    for (var k = 0; k < counts[j].Length; k++)
                    {
                        var quota = n * attributes[j].Target[$"c{k}"];
                        Assert.InRange(counts[j][k], Math.Floor(quota + 1e-9), Math.Ceiling(quota - 1e-9));
                    }
                }
            }
        }
    }

    [Fact]
    public void UniformTargetsBalanceTheJointCellsToo()
    {
        var assignment = new BalancedAssignment([Gender, Race, Age]);

        var cells = Enumerable.Range(0, 24).Select(i => string.Join('/', assignment.ForIndex(i))).ToList();

        Assert.Equal(24, cells.Distinct().Count());
    }

    [Fact]
    public void IntersectionsAreNotAssignedAndSeedDrawsAreReproducible()
    {
        var assignment = new BalancedAssignment([Gender, Race, DemographicAttribute.Join([Gender, Race])]);

        Assert.Equal(["gender", "race"], assignment.Attributes.Select(a => a.Name));
        Assert.Equal(assignment.ForSeed(123), new BalancedAssignment([Gender, Race]).ForSeed(123));
        // Over many seeds the draw follows the target.
        var female = Enumerable.Range(0, 4000).Count(s => assignment.ForSeed(s)[0] == "female");
        Assert.InRange(female, 1800, 2200);
    }

    [Theory]
    [InlineData(new[] { "female" }, "a woman")]
    [InlineData(new[] { "male", "asian", "older" }, "an older Asian man")]
    [InlineData(new[] { "female", "black", "middle_aged" }, "a middle-aged Black woman")]
    public void PhrasesReadAsEnglish(string[] categories, string phrase)
    {
        Assert.Equal(phrase, DemographicPhrase.Of(new[] { Gender, Race, Age }[..categories.Length], categories));
    }
}
