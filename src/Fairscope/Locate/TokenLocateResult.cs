namespace Fairscope;

/// <summary>The token locate analysis: one row per concept and attribute, and one summary per attribute.</summary>
public sealed record TokenLocateResult(IReadOnlyList<TokenLocation> Locations, IReadOnlyList<TokenLocateSummary> Attributes);
