using System.Text.RegularExpressions;

namespace Fairscope;

/// <summary>
/// Cue words and patterns per category for one attribute, loaded from YAML (docs/annotators.md):
/// <c>terms</c> match case-insensitively as whole words or phrases, <c>patterns</c> are .NET regular
/// expressions, case-sensitive unless they say <c>(?i)</c>. Built-in lexicons ship in the library; users
/// can write their own for any attribute.
/// </summary>
public sealed class Lexicon
{
    private const string ResourcePrefix = "Fairscope.Lexicons.";

    // A pattern that backtracks catastrophically on some output fails that sample's labelling instead of hanging the run.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The attribute whose categories this lexicon detects.</summary>
    public required string Attribute { get; init; }

    /// <summary>Content version from the file.</summary>
    public required int Version { get; init; }

    /// <summary>Where the lexicon came from: a path or <c>builtin:NAME</c>.</summary>
    public required string Origin { get; init; }

    /// <summary>Category → compiled matchers (one for all terms, then each pattern).</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<Regex>> Matchers { get; init; }

    /// <summary>True when a lexicon ships for <paramref name="attribute"/>.</summary>
    public static bool HasBuiltIn(string attribute) =>
        typeof(Lexicon).Assembly.GetManifestResourceInfo(ResourcePrefix + attribute + ".yaml") is not null;

    // Built-in lexicons compile large regular expressions; build each once per process.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Lexicon>> BuiltIns = new();

    /// <summary>The shipped lexicon for <paramref name="attribute"/> (shared: lexicons are immutable).</summary>
    public static Lexicon BuiltIn(string attribute) =>
        BuiltIns.GetOrAdd(attribute, a => new Lazy<Lexicon>(() => Parse(ReadResource(a + ".yaml"), $"builtin:{a}"))).Value;

    /// <summary>Loads a lexicon file.</summary>
    public static Lexicon Load(string path) => File.Exists(path)
        ? Parse(File.ReadAllText(path), path)
        : throw new FairscopeException($"lexicon file {path} does not exist");

    internal static string ReadResource(string name)
    {
        using var stream = typeof(Lexicon).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"resource {name} is missing from the build");
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>Parses lexicon YAML; errors name <paramref name="origin"/> and the line.</summary>
    public static Lexicon Parse(string yaml, string origin)
    {
        var y = new YamlNodes(origin);
        var root = y.LoadRoot(yaml);
        var top = y.Keys(root, "the lexicon", "attribute", "version", "categories");
        if (!top.TryGetValue("categories", out var categoriesNode)) throw y.Error(root, "the lexicon needs 'categories'");
        var matchers = new Dictionary<string, IReadOnlyList<Regex>>();
        foreach (var (key, value) in y.Mapping(categoriesNode, "categories").Children)
        {
            var category = y.Scalar(key, "category name");
            var keys = y.Keys(value, $"categories.{category}", "terms", "patterns");
            var list = new List<Regex>();
            if (keys.TryGetValue("terms", out var terms))
            {
                // One alternation per category, longest first so "business woman" wins over "woman".
                var words = y.Strings(terms, $"categories.{category}.terms").OrderByDescending(t => t.Length)
                    .Select(t => Regex.Escape(t.Trim()).Replace(@"\ ", @"\s+"));
                list.Add(new Regex($@"(?<![\w'-])(?:{string.Join('|', words)})(?![\w-])", RegexOptions.IgnoreCase | RegexOptions.Compiled | RegexOptions.CultureInvariant, MatchTimeout));
            }
            if (keys.TryGetValue("patterns", out var patterns))
                foreach (var (node, i) in y.Sequence(patterns, $"categories.{category}.patterns").Children.Select((n, i) => (n, i)))
                {
                    var pattern = y.Scalar(node, $"categories.{category}.patterns[{i}]");
                    try { list.Add(new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, MatchTimeout)); }
                    catch (ArgumentException e) { throw y.Error(node, $"pattern is not a valid regular expression: {e.Message}"); }
                }
            if (list.Count == 0) throw y.Error(value, $"categories.{category} needs terms or patterns");
            matchers[category] = list;
        }
        return new Lexicon
        {
            Attribute = y.Required(top, "attribute", root, "the lexicon"),
            Version = top.TryGetValue("version", out var v) ? y.Integer(v, "version") : 1,
            Origin = origin,
            Matchers = matchers,
        };
    }

    /// <summary>Every match in <paramref name="text"/> as (category, matched text).</summary>
    public IEnumerable<(string Category, string Cue)> Find(string text) =>
        Matchers.SelectMany(m => m.Value.SelectMany(r => r.Matches(text)).Select(match => (m.Key, match.Value)));
}
