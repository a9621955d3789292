using System.Globalization;
using System.Text.RegularExpressions;

namespace Fairscope;

/// <summary>
/// Finds the words of a <see cref="DemographicVocabulary"/> in a text (whole words: "Kim" is not found in "Kimberly",
/// "he" not in "Sheffield")
/// and stated ages ("42-year-old", "42 years old", "aged 42"; ages under 13 are about children and are left alone),
/// the spans that a counterfactual rewrite or a mask replaces.
/// </summary>
public sealed partial class DemographicTerms
{
    private readonly Dictionary<string, (string Attribute, string? Category)> _asWritten = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Attribute, string? Category)> _anyCase = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Indexes <paramref name="vocabulary"/>.</summary>
    public DemographicTerms(DemographicVocabulary vocabulary)
    {
        Vocabulary = vocabulary;
        foreach (var (female, male) in vocabulary.GenderedWords)
        {
            Add(female, "gender", "female");
            Add(male, "gender", "male");
        }
        foreach (var (gender, names) in vocabulary.FirstNames)
            foreach (var name in names) Add(name, "gender", gender);
        foreach (var (race, names) in vocabulary.Surnames)
            foreach (var name in names) Add(name, "race", race);
        foreach (var (race, word) in vocabulary.RaceWords) Add(word, "race", race);
        foreach (var (concept, groups) in vocabulary.Terms)
            foreach (var (group, terms) in groups)
                foreach (var term in terms.Distinct()) Add(term, concept, group);
    }

    /// <summary>The words this finder looks for.</summary>
    public DemographicVocabulary Vocabulary { get; }

    // A word listed under two categories (a first name given to both genders) signals neither.
    private void Add(string word, string attribute, string category)
    {
        var table = word.Any(char.IsUpper) ? _asWritten : _anyCase;
        table[word] = table.TryGetValue(word, out var known) && known.Category != category ? (attribute, null) : (attribute, category);
    }

    /// <summary>Every demographic word and stated age in <paramref name="text"/>, in order; spans never overlap
    /// (words are runs of letters, ages runs of digits).</summary>
    public IReadOnlyList<DemographicSpan> Find(string text)
    {
        var spans = new List<DemographicSpan>();
        // Runs of letters (as \p{L}+), looked up without allocating a string for every word.
        var asWritten = _asWritten.GetAlternateLookup<ReadOnlySpan<char>>();
        var anyCase = _anyCase.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var i = 0; i < text.Length;)
        {
            if (!char.IsLetter(text[i])) { i++; continue; }
            var start = i;
            while (i < text.Length && char.IsLetter(text[i])) i++;
            var word = text.AsSpan(start, i - start);
            if (asWritten.TryGetValue(word, out var cue) || anyCase.TryGetValue(word, out cue))
                spans.Add(new DemographicSpan(start, word.Length, cue.Attribute, cue.Category, word.ToString()));
        }
        // without age bands there are no ages to swap
        if (Vocabulary.AgeBands.Count > 0 && text.AsSpan().IndexOfAnyInRange('0', '9') >= 0)
            foreach (Match age in Age().Matches(text))
            {
                var years = int.Parse(age.Value, CultureInfo.InvariantCulture);
                if (NumericAgeCues.CountsAsAgeCue(years))
                    spans.Add(new DemographicSpan(age.Index, age.Length, "age", Vocabulary.AgeCategory(years), age.Value));
            }
        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        return spans;
    }

    // Only the number: "42" of "42-year-old" / "42 years old" / "aged 42".
    [GeneratedRegex(@"(?<![\w.,])\d{1,3}(?=[- ](?:year|yr)s?[- ]old\b)|(?<=\baged?\s)\d{1,3}\b(?![.,]\d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Age();
}
