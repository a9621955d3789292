namespace Fairscope;

/// <summary>An age category from <paramref name="FromYears"/> up to the next band's start (e.g. middle_aged from 35).</summary>
public sealed record AgeBand(string Category, double FromYears);
