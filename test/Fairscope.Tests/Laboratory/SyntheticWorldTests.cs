namespace Fairscope.Tests;

public sealed class SyntheticWorldTests
{
    [Fact]
    public void StereotypesFollowTheLabourStatistics()
    {
        var byId = WorldOccupations.All.ToDictionary(o => o.Id);
        Assert.Equal(12, byId.Count);
        Assert.Equal("female", byId["registered_nurse"].Stereotype["gender"]);
        Assert.Equal("male", byId["electrician"].Stereotype["gender"]);
        // Asian workers are 37.5% of software developers against a far lower mean share over the world's occupations.
        Assert.Equal("asian", byId["software_developer"].Stereotype["race"]);
        Assert.Equal("hispanic", byId["carpenter"].Stereotype["race"]);
    }

    [Fact]
    public void SameSeedSameWorld()
    {
        var options = new WorldOptions(People: 50, GenderStrength: 0.5, Seed: 3);
        Assert.Equal(SyntheticWorld.Create(options).People, SyntheticWorld.Create(options).People);
        Assert.NotEqual(SyntheticWorld.Create(options).People, SyntheticWorld.Create(options with { Seed = 4 }).People);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.6)]
    [InlineData(1.0)]
    public void GenderShareMatchesTheStrength(double strength)
    {
        const int N = 2000;
        var world = SyntheticWorld.Create(new WorldOptions(People: N, GenderStrength: strength, Seed: 1));
        foreach (var occupation in world.People.GroupBy(p => p.Occupation))
        {
            // Expected share of the stereotyped gender: s + (1 − s)/2; binomial SE ≤ 0.5/√N ≈ 0.011, allow 4 SE.
            var share = occupation.Count(p => p.Gender == occupation.Key.Stereotype["gender"]) / (double)N;
            Assert.InRange(share, strength + (1 - strength) / 2 - 0.045, strength + (1 - strength) / 2 + 0.045);
        }
    }

    [Fact]
    public void IntersectionalStrengthFillsTheJointCell()
    {
        const int N = 2000;
        var world = SyntheticWorld.Create(new WorldOptions(People: N, IntersectionalStrength: 0.5, Seed: 2));
        var nurses = world.People.Where(p => p.Occupation.Id == "registered_nurse").ToList();
        var stereotype = nurses[0].Occupation.Stereotype;
        // 0.5 forced into the cell + 0.5 × (1/2 × 1/4) by chance = 0.5625; marginals alone would give 0.75 × 0.625 = 0.47.
        var joint = nurses.Count(p => p.Gender == stereotype["gender"] && p.Race == stereotype["race"]) / (double)N;
        Assert.InRange(joint, 0.5625 - 0.045, 0.5625 + 0.045);
    }

    [Fact]
    public void AnnotatorsRecoverTheWorldsGenderAndItsBiasScore()
    {
        const double Strength = 0.7;
        var world = SyntheticWorld.Create(new WorldOptions(People: 400, GenderStrength: Strength, Seed: 5));
        var annotator = LexiconAnnotator.BuiltIn("gender")!;
        var random = new Random(5);
        var scores = new List<double>();
        foreach (var occupation in world.People.GroupBy(p => p.Occupation))
        {
            var labels = occupation.Select(p => (Truth: p.Gender, Label: annotator.Label(world.Story(p, random)).Label)).ToList();
            Assert.All(labels, l => Assert.Equal(l.Truth, l.Label)); // every story names and pronouns its person
            var f = GroupCounts.KnownFrequencies(GroupCounts.From(new DemographicAttribute("gender", ["female", "male"],
                DemographicAttribute.Uniform(["female", "male"]), []), labels.Select(l => l.Label)).Counts)!;
            scores.Add(BiasMetrics.BiasScore(f));
        }
        // With a uniform binary target the expected bias score of every occupation is the strength itself.
        Assert.InRange(scores.Average(), Strength - 0.03, Strength + 0.03);
    }

    [Fact]
    public void BiographiesNeverNameTheOccupation()
    {
        var world = SyntheticWorld.Create(new WorldOptions(People: 30, Seed: 6));
        var random = new Random(6);
        foreach (var person in world.People)
        {
            var biography = world.Biography(person, random);
            Assert.DoesNotContain(person.Occupation.Phrase, biography, StringComparison.OrdinalIgnoreCase);
            Assert.StartsWith($"{person.FirstName} {person.LastName} ", biography);
        }
    }

    [Theory]
    [InlineData("fix leaking taps", "fixes leaking taps")]
    [InlineData("carry boxes", "carries boxes")]
    [InlineData("play music", "plays music")]
    [InlineData("wash clients' hair", "washes clients' hair")]
    [InlineData("teach children", "teaches children")]
    [InlineData("have lunch", "has lunch")]
    [InlineData("go home", "goes home")]
    public void ThirdPersonConjugation(string phrase, string expected) => Assert.Equal(expected, SyntheticWorld.ThirdPerson(phrase));

    [Fact]
    public void OutOfRangeOptionsAreRejected()
    {
        Assert.Contains("gender strength", Assert.Throws<FairscopeException>(() => SyntheticWorld.Create(new WorldOptions(GenderStrength: 1.5))).Message);
        Assert.Contains("at least 1", Assert.Throws<FairscopeException>(() => SyntheticWorld.Create(new WorldOptions(People: 0))).Message);
    }

    [Fact]
    public void MaleStoriesUseObjectAndPossessivePronouns()
    {
        var world = SyntheticWorld.Create(new WorldOptions(People: 40, GenderStrength: 1, Seed: 8));
        var random = new Random(8);
        var stories = world.People.Where(p => p.Gender == "male").Select(p => world.Story(p, random)).ToList();
        Assert.Contains(stories, s => s.Contains("colleagues rely on him.", StringComparison.Ordinal));
        Assert.DoesNotContain(stories, s => s.Contains("rely on his", StringComparison.Ordinal));
    }
}
