namespace Fairscope;

/// <summary>One word or number in a text that presents a demographic attribute, e.g. "she" (gender, female),
/// "Olson" (race, white) or the 42 of "42-year-old" (age, middle_aged).</summary>
/// <param name="Start">Offset of the first character in the text.</param>
/// <param name="Attribute">gender, race, age or another concept of the vocabulary's <see cref="DemographicVocabulary.Terms"/>.</param>
/// <param name="Category">The category the word signals; null when the vocabulary lists it under several.</param>
/// <param name="Text">The characters as written.</param>
public sealed record DemographicSpan(int Start, int Length, string Attribute, string? Category, string Text);
