namespace Fairscope;

/// <summary>The categories a counterfactual text should present; a null attribute keeps what the text says.</summary>
public sealed record DemographicProfile(string? Gender, string? Race, string? Age)
{
    private static readonly SortedDictionary<string, string> None = [];

    /// <summary>Target groups of further concepts (religion → muslim, …); a concept left out keeps what the text says.
    /// Compared by content, so profiles with the same targets are equal.</summary>
    public IReadOnlyDictionary<string, string> Others { get; init; } = None;

    /// <summary>The target group of <paramref name="attribute"/> (gender, race, age or another concept), or null.</summary>
    public string? Of(string attribute) => attribute switch
    {
        "gender" => Gender,
        "race" => Race,
        "age" => Age,
        _ => Others.GetValueOrDefault(attribute),
    };

    /// <summary>A profile that presents <paramref name="targets"/> (concept → group) and keeps every other concept.</summary>
    public static DemographicProfile For(IReadOnlyDictionary<string, string> targets) =>
        new(targets.GetValueOrDefault("gender"), targets.GetValueOrDefault("race"), targets.GetValueOrDefault("age"))
        {
            Others = new SortedDictionary<string, string>(targets.Where(t => t.Key is not ("gender" or "race" or "age")).ToDictionary(), StringComparer.Ordinal),
        };

    /// <inheritdoc/>
    public bool Equals(DemographicProfile? other) =>
        other is not null && (Gender, Race, Age) == (other.Gender, other.Race, other.Age)
        && Others.Count == other.Others.Count && Others.All(o => other.Others.TryGetValue(o.Key, out var v) && v == o.Value);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        Others.OrderBy(o => o.Key, StringComparer.Ordinal).Aggregate(HashCode.Combine(Gender, Race, Age), (h, o) => HashCode.Combine(h, o.Key, o.Value));

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
