using System.Globalization;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Fairscope.Tests;

public sealed class CounterfactualRewriterTests
{
    private static readonly DemographicVocabulary Vocabulary = DemographicVocabulary.World;
    private static readonly CounterfactualRewriter Rewriter = new(Vocabulary);
    private static readonly DemographicTerms Terms = new(Vocabulary);
    private static readonly DemographicProfile MaleAsianOlder = new("male", "asian", "older");

    [Fact]
    public void RewritesTheMorningTemplateToMaleAsianOlder()
    {
        const string text = "Mary Olson is a 42-year-old White nurse. Every morning she records vital signs, and her colleagues rely on her.";
        var rewritten = Rewriter.Rewrite(text, MaleAsianOlder, new Random(1));
        var m = Regex.Match(rewritten, @"^(\w+) (\w+) is a (\d+)-year-old Asian nurse\. Every morning he records vital signs, and his colleagues rely on him\.$");
        Assert.True(m.Success, rewritten);
        AssertPresents(MaleAsianOlder, m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value);
        Assert.Equal(rewritten, Rewriter.Rewrite(text, MaleAsianOlder, new Random(1)));
    }

    [Theory]
    [InlineData("The nurse said that she would record vital signs before noon. Mary Olson is a 42-year-old White nurse.",
        @"^The nurse said that he would record vital signs before noon\. (\w+) (\w+) is a (\d+)-year-old Asian nurse\.$")]
    [InlineData("As a nurse, Mary Olson records vital signs. She is 42 years old.",
        @"^As a nurse, (\w+) (\w+) records vital signs\. He is (\d+) years old\.$")]
    public void RewritesTheOtherTemplatesToMaleAsianOlder(string text, string expected)
    {
        var m = Regex.Match(Rewriter.Rewrite(text, MaleAsianOlder, new Random(2)), expected);
        Assert.True(m.Success);
        AssertPresents(MaleAsianOlder, m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value);
    }

    [Theory]
    [InlineData("female", "black", "young")]
    [InlineData("female", "hispanic", "middle_aged")]
    [InlineData("male", "white", "young")]
    public void RewritesAMaleStoryToOtherProfiles(string gender, string race, string age)
    {
        const string text = "James Chen is a 70-year-old Asian janitor. Every morning he mops the hallways, and his colleagues rely on him.";
        var target = new DemographicProfile(gender, race, age);
        var rewritten = Rewriter.Rewrite(text, target, new Random(3));
        var (she, her, him) = gender == "female" ? ("she", "her", "her") : ("he", "his", "him");
        var m = Regex.Match(rewritten, $@"^(\w+) (\w+) is a (\d+)-year-old {Vocabulary.RaceWords[race]} janitor\. Every morning {she} mops the hallways, and {her} colleagues rely on {him}\.$");
        Assert.True(m.Success, rewritten);
        AssertPresents(target, m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value);
    }

    [Fact]
    public void RepeatedNamesAndAgesStayConsistentAndDifferentOnesStayDifferent()
    {
        const string text = "Mary Olson is a 42-year-old White nurse. Mary says Ms. Olson turned 42 years old in May; Linda Olson is her sister, aged 38.";
        var rewritten = Rewriter.Rewrite(text, MaleAsianOlder, new Random(4));
        var m = Regex.Match(rewritten, @"^(\w+) (\w+) is a (\d+)-year-old Asian nurse\. (\w+) says Mr\. (\w+) turned (\d+) years old in May; (\w+) (\w+) is his brother, aged (\d+)\.$");
        Assert.True(m.Success, rewritten);
        string Group(int i) => m.Groups[i].Value;
        Assert.Equal([Group(1), Group(2), Group(3)], [Group(4), Group(5), Group(6)]);
        Assert.Equal(Group(2), Group(8));
        Assert.NotEqual(Group(1), Group(7));
        Assert.NotEqual(Group(3), Group(9));
        AssertPresents(MaleAsianOlder, Group(7), Group(8), Group(9));
    }

    [Theory]
    [InlineData("The nurse said that she would record vital signs before noon. Her colleagues rely on her, and she thanks them herself.",
        "male", "The nurse said that he would record vital signs before noon. His colleagues rely on him, and he thanks them himself.")]
    [InlineData("The nurse said that he would record vital signs before noon. His colleagues rely on him, and he thanks them himself.",
        "female", "The nurse said that she would record vital signs before noon. Her colleagues rely on her, and she thanks them herself.")]
    [InlineData("They gave her a book. I told her that her work matters. Let her go to her mother!", "male",
        "They gave him a book. I told him that his work matters. Let him go to his father!")]
    // Words already of the target gender stay: every gendered word of the counterfactual presents the target.
    [InlineData("The choice was his, and his wife agreed with him. SHE said so to Mr. Olson.", "female",
        "The choice was hers, and her wife agreed with her. SHE said so to Ms. Olson.")]
    [InlineData("SHE said so to Mrs. Olson, a 42 years old woman.", "male", "HE said so to Mr. Olson, a 42 years old man.")]
    public void GenderedWordsTakeTheTargetFormKeepingCase(string text, string gender, string expected) =>
        Assert.Equal(expected, Rewriter.Rewrite(text, new DemographicProfile(gender, null, null), new Random(5)));

    [Fact]
    public void TextWithoutDemographicWordsComesBackUnchanged()
    {
        const string text = "The cashier scans groceries at the till and counts the cash drawer.";
        Assert.Equal(text, Rewriter.Rewrite(text, MaleAsianOlder, new Random(6)));
    }

    [Fact]
    public void RewritingToTheOwnProfileKeepsTheText()
    {
        // Every demographic word already signals its own profile, so none changes and the categories are kept.
        foreach (var (person, text) in WorldStories.ByTemplate())
            Assert.Equal(text, Rewriter.Rewrite(text, new DemographicProfile(person.Gender, person.Race, person.Age), new Random(7)));
    }

    [Fact]
    public void UnknownTargetCategoriesAreRejected()
    {
        Assert.Throws<FairscopeException>(() => Rewriter.Rewrite("she", new DemographicProfile("nonbinary", null, null), new Random(8)));
        Assert.Throws<FairscopeException>(() => Rewriter.Rewrite("she", new DemographicProfile(null, "martian", null), new Random(8)));
        Assert.Throws<FairscopeException>(() => Rewriter.Rewrite("she", new DemographicProfile(null, null, "ancient"), new Random(8)));
    }

    [Fact]
    public void TheGridIsTheFullProductOfTheWorldsCategories()
    {
        var grid = DemographicProfile.Grid(SyntheticWorld.Categories);
        Assert.Equal(2 * 4 * 3, grid.Count);
        Assert.Equal(grid.Count, grid.Distinct().Count());
        Assert.Equal(new DemographicProfile("female", "white", "young"), grid[0]);
        Assert.Throws<FairscopeException>(() => DemographicProfile.Grid(new Dictionary<string, string[]> { ["gender"] = ["female"] }));
    }

    [Fact]
    public void VariantsAreKDistinctProfilesOtherThanTheOwnAndRepeatForASeed()
    {
        var (person, text) = WorldStories.ByTemplate()[WorldStories.EveryMorning];
        var own = new DemographicProfile(person.Gender, person.Race, person.Age);
        var grid = DemographicProfile.Grid(SyntheticWorld.Categories);

        var variants = Rewriter.Variants(text, grid, 10, new Random(9), own);
        Assert.Equal(10, variants.Select(v => v.Profile).Distinct().Count());
        Assert.DoesNotContain(own, variants.Select(v => v.Profile));
        Assert.All(variants, v => Assert.All(Terms.Find(v.Text), s => Assert.Equal(Wanted(v.Profile, s.Attribute), s.Category)));
        Assert.Equal(variants, Rewriter.Variants(text, grid, 10, new Random(9), own));

        Assert.Equal(23, Rewriter.Variants(text, grid, 23, new Random(9), own).Count);
        Assert.Throws<FairscopeException>(() => Rewriter.Variants(text, grid, 24, new Random(9), own));
    }

    /// <summary>World stories and biographies with targets that may leave any attribute as it is (null).</summary>
    public static class WorldTexts
    {
        private static readonly SyntheticWorld World = SyntheticWorld.Create(new WorldOptions(People: 10, Seed: 11));

        private static Gen<string?> Category(string attribute) => Gen.Elements([null, .. SyntheticWorld.Categories[attribute]]);

        public static Arbitrary<RewriteCase> Cases() => Arb.From(
            from person in Gen.Elements(World.People.ToArray())
            from seed in Gen.Choose(0, 1_000_000)
            from biography in Gen.Elements(false, true)
            from gender in Category("gender")
            from race in Category("race")
            from age in Category("age")
            select new RewriteCase(biography ? World.Biography(person, new Random(seed)) : World.Story(person, new Random(seed)),
                new DemographicProfile(gender, race, age), seed));
    }

    public sealed record RewriteCase(string Text, DemographicProfile Target, int Seed);

    [Property(Arbitrary = new[] { typeof(WorldTexts) }, MaxTest = 300, Replay = "(31415,92653)")]
    public void RewritingPresentsTheTargetAndKeepsEveryOtherCharacter(RewriteCase c)
    {
        var rewritten = Rewriter.Rewrite(c.Text, c.Target, new Random(c.Seed));
        var before = Terms.Find(c.Text);
        var after = Terms.Find(rewritten);
        Assert.Equal(Between(c.Text, before), Between(rewritten, after));
        Assert.Equal(before.Select(s => s.Attribute), after.Select(s => s.Attribute));
        Assert.All(before.Zip(after), pair => Assert.Equal(Wanted(c.Target, pair.First.Attribute) ?? pair.First.Category, pair.Second.Category));
    }

    private static string? Wanted(DemographicProfile target, string attribute) =>
        attribute switch { "gender" => target.Gender, "race" => target.Race, _ => target.Age };

    // The text around and between the spans: what a rewrite must leave alone.
    private static List<string> Between(string text, IReadOnlyList<DemographicSpan> spans)
    {
        var pieces = new List<string>();
        var end = 0;
        foreach (var span in spans)
        {
            pieces.Add(text[end..span.Start]);
            end = span.Start + span.Length;
        }
        pieces.Add(text[end..]);
        return pieces;
    }

    private static void AssertPresents(DemographicProfile target, string firstName, string surname, string years)
    {
        Assert.Contains(firstName, Vocabulary.FirstNames[target.Gender!]);
        Assert.Contains(surname, Vocabulary.Surnames[target.Race!]);
        var (from, to) = Vocabulary.AgeBands[target.Age!];
        Assert.InRange(int.Parse(years, CultureInfo.InvariantCulture), from, to);
    }
}
