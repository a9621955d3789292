namespace Fairscope.Tests;

/// <summary>Real <see cref="SyntheticWorld"/> stories, one per template, each stating the person's race where the
/// template can.</summary>
internal static class WorldStories
{
    public const int SaidThat = 0, EveryMorning = 1, AsA = 2;

    private static readonly SyntheticWorld World = SyntheticWorld.Create(new WorldOptions(People: 5, ExplicitRaceRate: 1, Seed: 3));

    /// <summary>The first story of each template, in template order.</summary>
    public static IReadOnlyList<(Person Person, string Text)> ByTemplate()
    {
        var random = new Random(3);
        var stories = World.People.Select(p => (Person: p, Text: World.Story(p, random))).ToList();
        return [.. new[] { "The ", "Every morning", "As " }.Select(marker => stories.First(s => s.Text.Contains(marker, StringComparison.Ordinal)))];
    }
}
