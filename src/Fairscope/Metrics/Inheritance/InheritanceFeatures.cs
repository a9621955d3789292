using System.Text.RegularExpressions;

namespace Fairscope;

/// <summary>
/// What <c>fairscope inherit analyze</c> counts in each document, as one sparse vector per document in a fixed layout:
/// <list type="number">
/// <item>per attribute (gender, race, age from the built-in lexicon annotators, and gender × race), a 1 at the document's
/// perceived group or at <see cref="DemographicAttribute.Unknown"/>;</item>
/// <item>per group of a plain attribute, the positive and the negative cues of the built-in <c>evaluative</c> lexicon in
/// the document's sentences that the same annotator assigns to that group;</item>
/// <item>counts of the <see cref="Vocabulary"/> words, then of all other words in one bin;</item>
/// <item>a 1 at the document's length bin (bin b holds 2^b to 2^(b+1) − 1 words, the last bin everything longer), then its word count.</item>
/// </list>
/// Every statistic of the analysis is a ratio of per-document averages of these counts, which is what makes a mix's
/// statistics computable from the two sets' (<see cref="Misalignment.Mix"/>).
/// </summary>
public sealed partial class InheritanceFeatures
{
    /// <summary>Length bins: 1, 2–3, 4–7, …, 1024–2047 and 2048+ words.</summary>
    public const int LengthBins = 12;

    private readonly IReadOnlyList<(DemographicAttribute Attribute, LexiconAnnotator Annotator)> _plain;
    private readonly Lexicon _evaluative = Lexicon.BuiltIn("evaluative");
    private readonly Dictionary<string, int> _words;

    private InheritanceFeatures(IReadOnlyList<string> vocabulary)
    {
        _plain = new[] { "gender", "race", "age" }.Select(name =>
        {
            var categories = Lexicon.BuiltIn(name).Matchers.Keys.ToList();
            return (new DemographicAttribute(name, categories, DemographicAttribute.Uniform(categories), []), LexiconAnnotator.BuiltIn(name)!);
        }).ToList();
        Attributes = [.. _plain.Select(p => p.Attribute), DemographicAttribute.Join([_plain[0].Attribute, _plain[1].Attribute])];
        Groups = _plain.SelectMany(p => p.Attribute.Categories.Select(c => (p.Attribute.Name, c))).ToList();
        Vocabulary = vocabulary;
        _words = vocabulary.Select((w, i) => (w, i)).ToDictionary(x => x.w, x => x.i);
        var offset = 0;
        AttributeOffsets = Attributes.Select(a => { var o = offset; offset += a.Categories.Count + 1; return o; }).ToList();
        ValuesOffset = offset;
        WordsOffset = ValuesOffset + 2 * Groups.Count;
        LengthOffset = WordsOffset + Vocabulary.Count + 1;
        Size = LengthOffset + LengthBins + 1;
    }

    /// <summary>The layout for <paramref name="texts"/> (both data sets): the vocabulary is their <paramref name="topWords"/>
    /// most frequent words, ties broken alphabetically.</summary>
    public static InheritanceFeatures Create(IEnumerable<string> texts, int topWords)
    {
        if (topWords < 1) throw new FairscopeException($"--top-words must be at least 1, not {topWords}");
        var counts = new Dictionary<string, int>();
        foreach (var text in texts)
            foreach (var w in Words(text)) counts[w] = counts.GetValueOrDefault(w) + 1;
        return new InheritanceFeatures(counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(topWords).Select(c => c.Key).ToList());
    }

    /// <summary>gender, race, age and gender_x_race, in layout order.</summary>
    public IReadOnlyList<DemographicAttribute> Attributes { get; }

    /// <summary>Where each attribute's block (categories, then unknown) starts.</summary>
    public IReadOnlyList<int> AttributeOffsets { get; }

    /// <summary>(attribute, category) of each plain attribute's groups; group g's positive cues are at
    /// <c>ValuesOffset + 2g</c>, its negative cues at <c>ValuesOffset + 2g + 1</c>.</summary>
    public IReadOnlyList<(string Attribute, string Category)> Groups { get; }

    /// <summary>Start of the evaluative-cue block.</summary>
    public int ValuesOffset { get; }

    /// <summary>The counted words; their counts start at <see cref="WordsOffset"/>, followed by the other-words bin.</summary>
    public IReadOnlyList<string> Vocabulary { get; }

    /// <summary>Start of the word block.</summary>
    public int WordsOffset { get; }

    /// <summary>Start of the length bins; the word count follows the last bin.</summary>
    public int LengthOffset { get; }

    /// <summary>Length of a document's vector.</summary>
    public int Size { get; }

    /// <summary>The non-zero counts of <paramref name="text"/>.</summary>
    public (int Index, double Count)[] Of(string text)
    {
        var counts = new Dictionary<int, double>();
        void Add(int index, double n) => counts[index] = counts.GetValueOrDefault(index) + n;
        var labels = _plain.Select(p => Known(p.Attribute, p.Annotator.Label(text).Label)).ToList();
        for (var a = 0; a < _plain.Count; a++) Add(AttributeOffsets[a] + Index(_plain[a].Attribute, labels[a]), 1);
        var joint = Attributes[^1];
        Add(AttributeOffsets[^1] + Index(joint, labels[0] == DemographicAttribute.Unknown || labels[1] == DemographicAttribute.Unknown
            ? DemographicAttribute.Unknown : labels[0] + DemographicAttribute.JointSeparator + labels[1]), 1);
        foreach (var sentence in SentenceBreak().Split(text))
        {
            var cues = _evaluative.Find(sentence).ToList();
            if (cues.Count == 0) continue;
            foreach (var (attribute, annotator) in _plain)
            {
                var label = Known(attribute, annotator.Label(sentence).Label);
                if (label == DemographicAttribute.Unknown) continue;
                var g = ValuesOffset + 2 * GroupIndex(attribute.Name, label);
                Add(g, cues.Count(c => c.Category == "positive"));
                Add(g + 1, cues.Count(c => c.Category == "negative"));
            }
        }
        var words = 0;
        foreach (var w in Words(text))
        {
            words++;
            Add(WordsOffset + (_words.TryGetValue(w, out var i) ? i : Vocabulary.Count), 1);
        }
        Add(LengthOffset + LengthBin(words), 1);
        Add(LengthOffset + LengthBins, words);
        return counts.Where(c => c.Value != 0).OrderBy(c => c.Key).Select(c => (c.Key, c.Value)).ToArray();
    }

    /// <summary>The length bin of a text of <paramref name="words"/> words: ⌊log2 words⌋, capped at the last bin (empty texts in bin 0).</summary>
    public static int LengthBin(int words) => words <= 1 ? 0 : Math.Min(LengthBins - 1, (int)Math.Log2(words));

    /// <summary>Lower-cased words: runs of letters, with inner apostrophes and hyphens.</summary>
    public static IEnumerable<string> Words(string text) => WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant());

    private int GroupIndex(string attribute, string category)
    {
        for (var g = 0; g < Groups.Count; g++) if (Groups[g] == (attribute, category)) return g;
        throw new InvalidOperationException($"no group {attribute}:{category}");
    }

    private static string Known(DemographicAttribute attribute, string label) => attribute.Categories.Contains(label) ? label : DemographicAttribute.Unknown;

    private static int Index(DemographicAttribute attribute, string label)
    {
        var k = attribute.Categories.ToList().IndexOf(label);
        return k < 0 ? attribute.Categories.Count : k;
    }

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"\p{L}+(?:['’-]\p{L}+)*")]
    private static partial Regex WordPattern();
}
