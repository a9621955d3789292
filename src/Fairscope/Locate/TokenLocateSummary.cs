namespace Fairscope;

/// <summary>One attribute over all concepts: the hit rate over the <see cref="WithDominant"/> concepts that have a
/// dominant group, with a bootstrap interval over concepts, and the mean share of the dominant group among those
/// concepts' labelled neutral images. A hit rate well above what the dominant share alone would give says the
/// language model's token distribution for the neutral prompt sits nearest the group it over-generates.</summary>
public sealed record TokenLocateSummary(string Attribute, int Concepts, int WithDominant, Estimate HitRate, double? MeanDominantShare);
