using System.Globalization;
using System.Text;

namespace Fairscope;

/// <summary>
/// Labels one attribute by counting cues per category (lexicon terms and patterns, plus optional extra cue
/// sources such as names or numeric ages). The label is the category holding at least
/// <see cref="Dominance"/> of all cues; with no cue, or cues that disagree, it is
/// <see cref="DemographicAttribute.Unknown"/>. The evidence lists every cue, so a reader can check a label.
/// </summary>
public sealed class LexiconAnnotator : IAnnotator
{
    // Bump when the counting rule or a cue source changes meaning, so stored labels are recomputed.
    private const int RuleVersion = 1;
    private readonly Lexicon _lexicon;
    private readonly IReadOnlyList<Func<string, IEnumerable<(string Category, string Cue)>>> _extraCues;

    /// <summary>Creates an annotator over <paramref name="lexicon"/> and <paramref name="extraCues"/>.</summary>
    public LexiconAnnotator(Lexicon lexicon, double dominance = 2.0 / 3, params Func<string, IEnumerable<(string, string)>>[] extraCues)
    {
        if (dominance is <= 0.5 or > 1) throw new ArgumentOutOfRangeException(nameof(dominance), "must be in (0.5, 1]");
        _lexicon = lexicon;
        _extraCues = extraCues;
        Dominance = dominance;
        Name = lexicon.Origin.StartsWith("builtin:", StringComparison.Ordinal) ? $"lexicon-{lexicon.Attribute}" : $"lexicon-{lexicon.Attribute}:{Path.GetFileName(lexicon.Origin)}";
        Version = string.Create(CultureInfo.InvariantCulture, $"{RuleVersion}.{lexicon.Version}.d{dominance:0.###}");
        Attributes = [lexicon.Attribute];
    }

    /// <summary>Share of cues the winning category needs.</summary>
    public double Dominance { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Version { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Attributes { get; }

    /// <summary>The built-in annotator for gender, race or age, with name and numeric-age cues; null for other attributes.</summary>
    public static LexiconAnnotator? BuiltIn(string attribute) => attribute switch
    {
        "gender" => new(Lexicon.BuiltIn("gender"), extraCues: NameCues.FirstNames().Find),
        "race" => new(Lexicon.BuiltIn("race"), extraCues: NameCues.Surnames().Find),
        "age" => new(Lexicon.BuiltIn("age"), extraCues: NumericAgeCues.Find),
        _ => null,
    };

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Annotation>> AnnotateAsync(AnnotationInput input, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<Annotation>>([Label(input.Output)]);

    /// <summary>Labels <paramref name="text"/> synchronously.</summary>
    public Annotation Label(string text)
    {
        var cues = _lexicon.Find(text).Concat(_extraCues.SelectMany(f => f(text))).ToList();
        if (cues.Count == 0) return new Annotation(_lexicon.Attribute, DemographicAttribute.Unknown, null);
        var byCategory = cues.GroupBy(c => c.Category).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var top = byCategory[0];
        var label = top.Count() >= Dominance * cues.Count ? top.Key : DemographicAttribute.Unknown;
        return new Annotation(_lexicon.Attribute, label, Evidence(byCategory));
    }

    private static string Evidence(IEnumerable<IGrouping<string, (string Category, string Cue)>> byCategory)
    {
        var text = new StringBuilder();
        foreach (var group in byCategory)
        {
            if (text.Length > 0) text.Append("; ");
            text.Append(group.Key).Append(": ").AppendJoin(", ", group.GroupBy(c => c.Cue.ToLowerInvariant())
                .Select(c => c.Count() == 1 ? c.Key : $"{c.Key}×{c.Count()}"));
        }
        return text.Length <= 300 ? text.ToString() : text.ToString(0, 297) + "...";
    }
}
