namespace Fairscope;

/// <summary>The categories a counterfactual text should present; a null attribute keeps what the text says.</summary>
public sealed record DemographicProfile(string? Gender, string? Race, string? Age)
{
    /// <summary>Every combination gender × race × age of <paramref name="categories"/> (keys gender, race and age, as
    /// <see cref="SyntheticWorld.Categories"/>): the multi-concept grid of counterfactuals, gender varying slowest.</summary>
    public static IReadOnlyList<DemographicProfile> Grid(IReadOnlyDictionary<string, string[]> categories)
    {
        string[] Of(string attribute) => categories.TryGetValue(attribute, out var values)
            ? values
            : throw new FairscopeException($"a profile grid needs categories for {attribute}; there are only {string.Join(", ", categories.Keys)}");
        return [.. from gender in Of("gender") from race in Of("race") from age in Of("age") select new DemographicProfile(gender, race, age)];
    }
}
