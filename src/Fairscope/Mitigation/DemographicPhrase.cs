namespace Fairscope;

/// <summary>Writes a combination of categories as an English noun phrase, e.g. (female, black, older) → "an older Black
/// woman": age first, then the other attributes as adjectives (race capitalised), then the gender's noun ("person" without
/// one). Labels without a known word are used as written, underscores as hyphens (middle_aged → middle-aged).</summary>
public static class DemographicPhrase
{
    private static readonly Dictionary<string, string> Nouns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["female"] = "woman", ["woman"] = "woman", ["male"] = "man", ["man"] = "man",
        ["nonbinary"] = "non-binary person", ["non_binary"] = "non-binary person",
    };

    /// <summary>The phrase for <paramref name="categories"/> of <paramref name="attributes"/> (aligned by index).</summary>
    public static string Of(IReadOnlyList<DemographicAttribute> attributes, IReadOnlyList<string> categories)
    {
        var byName = attributes.Select((a, j) => (a.Name, Label: categories[j])).ToList();
        var noun = byName.Where(x => x.Name == "gender").Select(x => Nouns.GetValueOrDefault(x.Label) ?? Words(x.Label) + " person").FirstOrDefault() ?? "person";
        var adjectives = byName.Where(x => x.Name == "age").Concat(byName.Where(x => x.Name is not ("age" or "gender")))
            .Select(x => x.Name == "race" ? Capitalised(Words(x.Label)) : Words(x.Label));
        var phrase = string.Join(' ', [.. adjectives, noun]);
        return ("aeiou".Contains(char.ToLowerInvariant(phrase[0])) ? "an " : "a ") + phrase;
    }

    private static string Words(string label) => label.Replace('_', '-');

    private static string Capitalised(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];
}
