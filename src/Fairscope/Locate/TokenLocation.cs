namespace Fairscope;

/// <summary>One concept and attribute of the token locate analysis. <see cref="Divergences"/>: JSD (base 2) from the
/// neutral distribution to each group's; <see cref="Nearest"/>: the group with the smallest; <see cref="Dominant"/>: the
/// most frequent perceived label of the neutral images (null on a tie or with none labelled), with its
/// <see cref="DominantShare"/> of the <see cref="Labelled"/> images; <see cref="Hit"/>: nearest = dominant, null
/// without a dominant group.</summary>
public sealed record TokenLocation(
    string Concept,
    string Attribute,
    IReadOnlyDictionary<string, double> Divergences,
    string Nearest,
    string? Dominant,
    double? DominantShare,
    int Labelled,
    bool? Hit);
