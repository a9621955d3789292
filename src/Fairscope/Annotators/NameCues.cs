using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Fairscope;

/// <summary>
/// Cues from personal names. First names give a gender cue from US Social Security birth records
/// (first-names.csv: share of female births per name); surnames give a race/ethnicity cue from a curated
/// list of surnames that the US Census 2010 surname file associates strongly with one group (surnames.csv).
/// Both are statistical associations, not facts about a person, and only count where a text presents
/// someone by name: a first name must be followed by a capitalised surname or stand mid-sentence (so
/// "Will" or "Grace" opening a sentence is no cue), a surname must follow a capitalised first name; months,
/// weekdays, titles and a few other words the records list as names never count.
/// </summary>
public sealed partial class NameCues
{
    // In the birth records as names, but in running text far more often a month, a day, a title or a word:
    // "in June", "Dear Sir", "the King", "a Christian". They give no name cue.
    private static readonly HashSet<string> NotNames = new(StringComparer.Ordinal)
    {
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Spring", "Summer", "Autumn", "Winter",
        "Sir", "Madam", "Lord", "Lady", "King", "Queen", "Prince", "Princess", "Duke", "Earl", "Baron", "Major", "General",
        "Captain", "Colonel", "Sergeant", "Dean", "Bishop", "Judge", "Doctor", "Nurse", "Pastor", "Christian", "Christmas", "Easter",
    };

    private readonly Dictionary<string, string> _categoryByName;
    private readonly bool _surnames;

    private NameCues(Dictionary<string, string> categoryByName, bool surnames)
    {
        _categoryByName = categoryByName;
        _surnames = surnames;
    }

    private static readonly Lazy<NameCues> DefaultFirstNames = new(() => LoadFirstNames(0.95));
    private static readonly Lazy<NameCues> DefaultSurnames = new(LoadSurnames);

    /// <summary>First names whose female share is at least <paramref name="threshold"/> (female) or at most
    /// 1 − threshold (male); names in between are ambiguous and give no cue.</summary>
    public static NameCues FirstNames(double threshold = 0.95) => threshold == 0.95 ? DefaultFirstNames.Value : LoadFirstNames(threshold);

    /// <summary>Surnames strongly associated with one race/ethnicity category.</summary>
    public static NameCues Surnames() => DefaultSurnames.Value;

    private static NameCues LoadFirstNames(double threshold)
    {
        var table = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Lexicon.ReadResource("first-names.csv").Split('\n').Skip(1))
        {
            var parts = line.Trim().Split(',');
            if (parts.Length < 2 || NotNames.Contains(parts[0])) continue;
            var share = double.Parse(parts[1], CultureInfo.InvariantCulture);
            if (share >= threshold) table[parts[0]] = "female";
            else if (share <= 1 - threshold) table[parts[0]] = "male";
        }
        return new NameCues(table, surnames: false);
    }

    private static NameCues LoadSurnames()
    {
        var table = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Lexicon.ReadResource("surnames.csv").Split('\n').Skip(1))
            if (line.Trim().Split(',') is [var name, var category] && !NotNames.Contains(name)) table[name] = category;
        return new NameCues(table, surnames: true);
    }

    /// <summary>The names of each category, in ordinal order: the pools a counterfactual draws new names from.</summary>
    internal IReadOnlyDictionary<string, string[]> NamesByCategory() =>
        _categoryByName.GroupBy(e => e.Value).ToDictionary(g => g.Key, g => g.Select(e => e.Key).Order(StringComparer.Ordinal).ToArray());

    /// <summary>Name cues in <paramref name="text"/> as (category, name).</summary>
    public IEnumerable<(string Category, string Cue)> Find(string text)
    {
        var words = CapitalisedWord().Matches(text);
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (!_categoryByName.TryGetValue(StripAccents(word.Value), out var category)) continue;
            var previous = i > 0 ? words[i - 1] : null;
            var next = i + 1 < words.Count ? words[i + 1] : null;
            var afterName = previous is not null && IsAdjacent(text, previous, word);
            // A surname follows a capitalised name; a first name is followed by one or stands mid-sentence, but never
            // in surname position ("Mary Washington": Washington is no male first-name cue here).
            var presented = _surnames
                ? afterName
                : !afterName && ((next is not null && IsAdjacent(text, word, next)) || !StartsSentence(text, word.Index));
            if (presented) yield return (category, word.Value);
        }
    }

    private static bool IsAdjacent(string text, Match first, Match second) =>
        second.Index - (first.Index + first.Length) == 1 && text[first.Index + first.Length] == ' ';

    private static bool StartsSentence(string text, int index)
    {
        var i = index - 1;
        while (i >= 0 && (text[i] is ' ' or '"' or '\'' or '*' or '(' or '“')) i--;
        return i < 0 || text[i] is '.' or '!' or '?' or '\n' or ':';
    }

    private static string StripAccents(string s)
    {
        if (s.All(char.IsAscii)) return s;
        var decomposed = s.Normalize(NormalizationForm.FormD);
        return new string(decomposed.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray());
    }

    [GeneratedRegex(@"\b\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}\p{Ll}+)?\b")] private static partial Regex CapitalisedWord();
}
