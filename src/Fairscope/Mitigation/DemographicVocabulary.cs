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
    /// <summary>English gendered pronouns, kinship and role nouns, and titles. Occupational words that are also used
    /// for everyone (actor, waiter, host) are left out, as in the built-in gender lexicon.</summary>
    public static IReadOnlyList<(string Female, string Male)> EnglishGenderedWords { get; } =
    [
        ("she", "he"), ("her", "his"), ("her", "him"), ("hers", "his"), ("herself", "himself"),
        ("woman", "man"), ("women", "men"), ("lady", "gentleman"), ("ladies", "gentlemen"), ("girl", "boy"), ("girls", "boys"),
        ("female", "male"), ("females", "males"), ("madam", "sir"),
        ("mother", "father"), ("mothers", "fathers"), ("mom", "dad"), ("moms", "dads"), ("mum", "dad"), ("mums", "dads"),
        ("daughter", "son"), ("daughters", "sons"), ("sister", "brother"), ("sisters", "brothers"),
        ("wife", "husband"), ("wives", "husbands"), ("aunt", "uncle"), ("aunts", "uncles"), ("niece", "nephew"), ("nieces", "nephews"),
        ("grandmother", "grandfather"), ("grandmothers", "grandfathers"), ("grandma", "grandpa"),
        ("granddaughter", "grandson"), ("granddaughters", "grandsons"),
        ("girlfriend", "boyfriend"), ("girlfriends", "boyfriends"), ("bride", "groom"),
        ("businesswoman", "businessman"), ("businesswomen", "businessmen"), ("chairwoman", "chairman"),
        ("spokeswoman", "spokesman"), ("policewoman", "policeman"), ("policewomen", "policemen"), ("saleswoman", "salesman"),
        ("Ms", "Mr"), ("Mrs", "Mr"),
    ];

    /// <summary>The synthetic world's names, race words and age bands with <see cref="EnglishGenderedWords"/>: every
    /// demographic word a <see cref="SyntheticWorld"/> text contains.</summary>
    public static DemographicVocabulary World { get; } = new(EnglishGenderedWords, SyntheticWorld.FirstNames, SyntheticWorld.Surnames,
        SyntheticWorld.RaceWords, SyntheticWorld.AgeBands);

    /// <summary>The age category whose band holds <paramref name="years"/>, else the one with the nearest band
    /// (contiguous bands thus extend to all ages: 80 is older when the last band ends at 75).</summary>
    public string AgeCategory(int years) =>
        AgeBands.MinBy(b => years < b.Value.From ? b.Value.From - years : years > b.Value.To ? years - b.Value.To : 0).Key;
}
