namespace Fairscope;

/// <summary>
/// The words that present a person's gender, race/ethnicity and age in a text, and the counterparts a counterfactual
/// swaps them for. Entries written with a capital letter (first names, surnames, race words, the titles Mr/Mrs/Ms) are
/// proper forms and match only as written, so "white walls" or "5 ms" are no cues; lower-case entries match in any case.
/// </summary>
/// <param name="GenderedWords">(female, male) pairs; a word listed in several pairs swaps to the counterpart of its
/// first pair ("his" → "her", "Mr" → "Ms"). The pronoun forms her/him/his/hers are corrected by context when rewriting.</param>
/// <param name="FirstNames">First names per gender category (female, male).</param>
/// <param name="Surnames">Surnames per race category.</param>
/// <param name="RaceWords">The word that states each race category, e.g. white → "White".</param>
/// <param name="AgeBands">Inclusive range of years per age category; a counterfactual age is drawn from it.</param>
public sealed record DemographicVocabulary(
    IReadOnlyList<(string Female, string Male)> GenderedWords,
    IReadOnlyDictionary<string, string[]> FirstNames,
    IReadOnlyDictionary<string, string[]> Surnames,
    IReadOnlyDictionary<string, string> RaceWords,
    IReadOnlyDictionary<string, (int From, int To)> AgeBands)
{
    /// <summary>English gendered pronouns, kinship and role nouns, and titles: the shipped gender lexicon
    /// (Mitigation/Lexicons/gender.yaml). Occupational words that are also used for everyone (actor, waiter, host) are
    /// left out, as in the built-in gender lexicon.</summary>
    public static IReadOnlyList<(string Female, string Male)> EnglishGenderedWords { get; } =
        GenderPairs(CounterfactualLexicon.Shipped("gender"), "builtin:gender");

    /// <summary>Further words per concept (religion, nationality, …, and race or age words beyond <see cref="RaceWords"/>):
    /// concept → group → terms, where the terms at the same position in each group are counterparts.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string[]>> Terms { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string[]>>();

    /// <summary>A vocabulary of <paramref name="lexicons"/>: gender's terms become <see cref="GenderedWords"/> (groups
    /// female and male) and its names <see cref="FirstNames"/>; race's names become <see cref="Surnames"/> and its first
    /// terms <see cref="RaceWords"/>; age's years become <see cref="AgeBands"/>; every other term goes to <see cref="Terms"/>.</summary>
    public static DemographicVocabulary FromLexicons(IReadOnlyList<CounterfactualLexicon> lexicons)
    {
        var byConcept = lexicons.ToDictionary(l => l.Concept);
        IReadOnlyDictionary<string, CounterfactualGroup> Groups(string concept) =>
            byConcept.TryGetValue(concept, out var l) ? l.Groups : new Dictionary<string, CounterfactualGroup>();
        var gender = byConcept.TryGetValue("gender", out var g) ? GenderPairs(g, "the gender lexicon") : [];
        return new DemographicVocabulary(gender,
            Groups("gender").Where(x => x.Value.Names.Count > 0).ToDictionary(x => x.Key, x => x.Value.Names.ToArray()),
            Groups("race").Where(x => x.Value.Names.Count > 0).ToDictionary(x => x.Key, x => x.Value.Names.ToArray()),
            Groups("race").Where(x => x.Value.Terms.Count > 0).ToDictionary(x => x.Key, x => x.Value.Terms[0]),
            Groups("age").Where(x => x.Value.Years is not null).ToDictionary(x => x.Key, x => x.Value.Years!.Value))
        {
            Terms = lexicons.Where(l => l.Concept != "gender" && l.Groups.Values.Any(x => x.Terms.Count > 0))
                .ToDictionary(l => l.Concept, l => (IReadOnlyDictionary<string, string[]>)l.Groups.ToDictionary(x => x.Key, x => x.Value.Terms.ToArray())),
        };
    }

    private static (string Female, string Male)[] GenderPairs(CounterfactualLexicon gender, string origin)
    {
        if (gender.Groups.Keys.Order().SequenceEqual(["female", "male"]) is false
            || gender.Groups["female"].Terms.Count != gender.Groups["male"].Terms.Count)
            throw new FairscopeException($"{origin}: gender swaps need exactly the groups female and male with the same number of terms (counterparts by position)");
        return [.. gender.Groups["female"].Terms.Zip(gender.Groups["male"].Terms)];
    }

    /// <summary>The synthetic world's names, race words and age bands with <see cref="EnglishGenderedWords"/>: every
    /// demographic word a <see cref="SyntheticWorld"/> text contains.</summary>
    public static DemographicVocabulary World { get; } = new(EnglishGenderedWords, SyntheticWorld.FirstNames, SyntheticWorld.Surnames,
        SyntheticWorld.RaceWords, SyntheticWorld.AgeBands);

    /// <summary>The age category whose band holds <paramref name="years"/>, else the one with the nearest band
    /// (contiguous bands thus extend to all ages: 80 is older when the last band ends at 75).</summary>
    public string AgeCategory(int years) =>
        AgeBands.MinBy(b => years < b.Value.From ? b.Value.From - years : years > b.Value.To ? years - b.Value.To : 0).Key;
}
