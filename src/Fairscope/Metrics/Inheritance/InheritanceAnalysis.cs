namespace Fairscope;

/// <summary>What <c>fairscope inherit analyze</c> measured (see <see cref="InheritanceAnalyzer"/>); serialised as results.json.</summary>
/// <param name="Groups">Group data: each attribute's shares in both sets.</param>
/// <param name="Values">Values: each group's negative-cue share in both sets.</param>
/// <param name="Mixes">Misalignments of the mixes at the requested bias ratios; the ratio 1 compares the two sets themselves.</param>
/// <param name="Curve">The same at every 0.05 step of the bias ratio, for the charts.</param>
/// <param name="Methods">How each measure is computed, in words.</param>
public sealed record InheritanceAnalysis(int OriginalDocuments, int AugmentedDocuments, int TopWords, BootstrapSummary Bootstrap,
    IReadOnlyList<GroupRepresentation> Groups, IReadOnlyList<GroupStance> Values, Estimate OriginalMeanWords, Estimate AugmentedMeanWords,
    IReadOnlyList<MixMisalignment> Mixes, IReadOnlyList<MixMisalignment> Curve, MixRecommendation Recommendation, IReadOnlyDictionary<string, string> Methods);

/// <summary>One attribute's group shares (among documents with a perceived group) in both sets, and the labelled share of each.</summary>
public sealed record GroupRepresentation(string Attribute, IReadOnlyList<string> Categories, IReadOnlyDictionary<string, Estimate> Original,
    IReadOnlyDictionary<string, Estimate> Augmented, Estimate OriginalLabelled, Estimate AugmentedLabelled);

/// <summary>One group's share of negative evaluative cues in sentences about it, in both sets, with the cues per document behind it.</summary>
public sealed record GroupStance(string Attribute, string Group, Estimate OriginalNegativeShare, Estimate AugmentedNegativeShare,
    double OriginalCuesPerDocument, double AugmentedCuesPerDocument);

/// <summary>The misalignments of one mix against the original set, by measure name (<see cref="InheritanceAnalyzer.MeasureNames"/>).</summary>
public sealed record MixMisalignment(double Ratio, IReadOnlyDictionary<string, Estimate> Measures);

/// <summary>The largest bias ratio whose overall misalignment stays at or under <paramref name="Threshold"/>.</summary>
/// <param name="Ratio">From the point estimates (0.01 steps); null when none qualifies.</param>
/// <param name="ConservativeRatio">The same from the upper ends of the 95% intervals.</param>
/// <param name="Binding">The measure that first exceeds the threshold above <paramref name="Ratio"/>; null when none does.</param>
public sealed record MixRecommendation(double Threshold, double? Ratio, double? ConservativeRatio, string? Binding);
