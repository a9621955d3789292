namespace Fairscope;

/// <summary>Which perceived or annotated labels the locate analyses leave out: empty cells and "unknown".</summary>
public static class LocateLabels
{
    /// <summary>The label that marks an unlabelled row, besides an empty cell.</summary>
    public const string Unknown = "unknown";

    /// <summary>True for null, blank and "unknown" (any case).</summary>
    public static bool IsUnlabelled(string? label) =>
        string.IsNullOrWhiteSpace(label) || string.Equals(label.Trim(), Unknown, StringComparison.OrdinalIgnoreCase);
}
