using System.Globalization;

namespace Fairscope.Tests;

public sealed class DemographicTermsTests
{
    private static readonly DemographicTerms Terms = new(DemographicVocabulary.World);

    [Theory]
    [InlineData(WorldStories.SaidThat)]
    [InlineData(WorldStories.EveryMorning)]
    [InlineData(WorldStories.AsA)]
    public void FindsPronounsNamesRaceWordAndAgeInEachWorldTemplate(int template)
    {
        var (person, text) = WorldStories.ByTemplate()[template];
        var spans = Terms.Find(text);

        Assert.All(spans, s => Assert.Equal(s.Text, text.Substring(s.Start, s.Length)));
        Assert.Equal(spans.OrderBy(s => s.Start), spans);
        Assert.All(spans.Zip(spans.Skip(1)), pair => Assert.True(pair.First.Start + pair.First.Length <= pair.Second.Start));

        var pronouns = spans.Where(s => s.Attribute == "gender" && s.Text != person.FirstName).ToList();
        Assert.NotEmpty(pronouns);
        Assert.All(pronouns, s => Assert.Equal(person.Gender, s.Category));
        Assert.Contains(new DemographicSpan(text.IndexOf(person.FirstName, StringComparison.Ordinal), person.FirstName.Length, "gender", person.Gender, person.FirstName), spans);
        Assert.Contains(new DemographicSpan(text.IndexOf(person.LastName, StringComparison.Ordinal), person.LastName.Length, "race", person.Race, person.LastName), spans);
        var raceWord = DemographicVocabulary.World.RaceWords[person.Race];
        Assert.Equal(template != WorldStories.AsA, spans.Any(s => s.Attribute == "race" && s.Text == raceWord && s.Category == person.Race));
        var age = Assert.Single(spans, s => s.Attribute == "age");
        Assert.Equal((person.Years.ToString(CultureInfo.InvariantCulture), person.Age), (age.Text, age.Category));
        // Name, surname and age, plus: she and the race word; she, her, her and the race word; She.
        Assert.Equal(template switch { WorldStories.SaidThat => 5, WorldStories.EveryMorning => 7, _ => 4 }, spans.Count);
    }

    [Fact]
    public void WordsMatchInAnyCaseButNamesTitlesAndRaceWordsOnlyAsWritten()
    {
        const string text = "SHE met mary, Mary and Kimberly Kim. The white walls of Ms. Olson's White house; 5 ms later.";
        Assert.Equal(
            [("SHE", "female"), ("Mary", "female"), ("Kim", "asian"), ("Ms", "female"), ("Olson", "white"), ("White", "white")],
            Terms.Find(text).Select(s => (s.Text, s.Category)));
    }

    [Fact]
    public void FindsStatedAgesButNotChildrensAges()
    {
        const string text = "Aged 42, he has a 5-year-old daughter; at 70 years old his father is a 68 year old retiree, age 80.";
        var ages = Terms.Find(text).Where(s => s.Attribute == "age").Select(s => (s.Text, s.Category));
        Assert.Equal([("42", "middle_aged"), ("70", "older"), ("68", "older"), ("80", "older")], ages);
    }

    [Theory]
    [InlineData(22, "young")]
    [InlineData(18, "young")]
    [InlineData(34, "young")]
    [InlineData(35, "middle_aged")]
    [InlineData(64, "middle_aged")]
    [InlineData(65, "older")]
    [InlineData(90, "older")]
    public void AgesOutsideEveryBandTakeTheNearestBand(int years, string category) =>
        Assert.Equal(category, DemographicVocabulary.World.AgeCategory(years));
}
