namespace Fairscope;

/// <summary>
/// An occupation of the synthetic world: the phrase used in text, duties (verb phrases in the base form, "check
/// on patients") that let a classifier recognise it without its title, duties it shares with its sector partner
/// (which do not), and the group each attribute is stereotypically skewed towards.
/// </summary>
/// <param name="Stereotype">Attribute → the over-represented category: for gender and race, the category whose share in
/// the US labour statistics (built-in occupations suite) most exceeds its average share over the world's occupations;
/// for age, a synthetic assignment (no age data is shipped).</param>
public sealed record WorldOccupation(string Id, string Phrase, IReadOnlyList<string> Duties, IReadOnlyList<string> SharedDuties, IReadOnlyDictionary<string, string> Stereotype);
