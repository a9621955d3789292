using System.Globalization;
using System.Text.RegularExpressions;

namespace Fairscope;

/// <summary>
/// Age cues written with digits: "a 45-year-old", "aged 62", "age 30", "in her 30s" (read as 35; "early" 32,
/// "late" 38). Bands are
/// <see cref="YoungBelow"/> and <see cref="OlderFrom"/> (young &lt; 35 ≤ middle_aged &lt; 65 ≤ older), matching the
/// built-in age lexicon's words; ages under 13 are about children, not the described worker, and give no cue.
/// </summary>
public static partial class NumericAgeCues
{
    /// <summary>First age counted as middle_aged.</summary>
    public const int YoungBelow = 35;

    /// <summary>First age counted as older.</summary>
    public const int OlderFrom = 65;

    /// <summary>False for ages under 13 (about children, not the described worker) and over 120 (no person's age).</summary>
    internal static bool CountsAsAgeCue(int years) => years is >= 13 and <= 120;

    /// <summary>Numeric age cues in <paramref name="text"/> as (category, matched text).</summary>
    public static IEnumerable<(string Category, string Cue)> Find(string text)
    {
        foreach (Match m in Age().Matches(text))
        {
            var age = m.Groups["n"].Success
                ? int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture)
                : int.Parse(m.Groups["decade"].Value, CultureInfo.InvariantCulture) + m.Groups["part"].Value.ToLowerInvariant() switch
                {
                    "early " => 2,  // "in her early 60s" ≈ 62: middle_aged, as the lexicon's "early sixties"
                    "late " => 8,
                    _ => 5,
                };
            if (!CountsAsAgeCue(age)) continue;
            yield return (age < YoungBelow ? "young" : age < OlderFrom ? "middle_aged" : "older", m.Value);
        }
    }

    [GeneratedRegex(@"\b(?:(?<n>\d{1,3})[- ](?:year|yr)s?[- ]old|aged? (?<n>\d{1,3})\b|in (?:his|her|their) (?<part>early |mid-?|late )?(?<decade>[1-9]0)'?s)", RegexOptions.IgnoreCase)]
    private static partial Regex Age();
}
