namespace Fairscope;

/// <summary>
/// One concept's words for counterfactual data (docs/counterfactual.md), from YAML: per group, <c>terms</c> whose
/// entries at the same position are counterparts, optional <c>names</c> (first names for gender, surnames for race)
/// and, for age, an inclusive band of <c>years</c>. Seven lexicons ship (gender, race, age, religion, nationality,
/// disability, sexual_orientation); a user file replaces the shipped one of its concept, or with <c>extend: true</c>
/// adds its groups, terms and names to it.
/// </summary>
public sealed record CounterfactualLexicon(string Concept, IReadOnlyDictionary<string, CounterfactualGroup> Groups)
{
    private const string ResourcePrefix = "Fairscope.Counterfactual.";

    /// <summary>The concepts that ship, in the order variants combine them.</summary>
    public static IReadOnlyList<string> BuiltInConcepts { get; } = ["gender", "race", "age", "religion", "nationality", "disability", "sexual_orientation"];

    /// <summary>The shipped lexicon of <paramref name="concept"/>, with the name lists of the annotators' lexicons
    /// (first-names.csv at a 0.99 share for gender, surnames.csv for race) where a group lists no names.</summary>
    public static CounterfactualLexicon BuiltIn(string concept) => WithShippedNames(Shipped(concept));

    // Groups that list no names get the annotators' name lists (gender: first names, race: surnames), also in a user's
    // lexicon that replaces a shipped one, as docs/counterfactual.md promises.
    private static CounterfactualLexicon WithShippedNames(CounterfactualLexicon lexicon)
    {
        var names = lexicon.Concept switch { "gender" => NameCues.FirstNames(0.99).NamesByCategory(), "race" => NameCues.Surnames().NamesByCategory(), _ => null };
        if (names is null) return lexicon;
        // A name that is also a shipped term ("India", "German") would belong to two concepts and to neither's group.
        var terms = ShippedTerms.Value;
        return lexicon with
        {
            Groups = lexicon.Groups.ToDictionary(g => g.Key,
                g => g.Value.Names.Count > 0 || !names.TryGetValue(g.Key, out var list) ? g.Value
                    : g.Value with { Names = [.. list.Where(n => !terms.Contains(n))] }),
        };
    }

    private static readonly Lazy<HashSet<string>> ShippedTerms = new(() =>
        BuiltInConcepts.Select(Shipped).SelectMany(l => l.Groups.Values).SelectMany(g => g.Terms).ToHashSet(StringComparer.OrdinalIgnoreCase));

    /// <summary>The shipped file of <paramref name="concept"/> as written, without name lists.</summary>
    internal static CounterfactualLexicon Shipped(string concept)
    {
        using var stream = typeof(CounterfactualLexicon).Assembly.GetManifestResourceStream(ResourcePrefix + concept + ".yaml")
            ?? throw new FairscopeException($"no counterfactual lexicon ships for '{concept}'; the shipped ones are {string.Join(", ", BuiltInConcepts)}");
        return Parse(new StreamReader(stream).ReadToEnd(), $"builtin:{concept}").Lexicon;
    }

    /// <summary>The shipped lexicons with <paramref name="files"/> applied in order (each replaces or extends its concept).</summary>
    public static IReadOnlyList<CounterfactualLexicon> Load(IEnumerable<string> files)
    {
        var lexicons = BuiltInConcepts.Select(BuiltIn).ToList();
        foreach (var file in files)
        {
            if (!File.Exists(file)) throw new FairscopeException($"lexicon file {file} does not exist");
            var (lexicon, extend) = Parse(File.ReadAllText(file), file);
            var index = lexicons.FindIndex(l => l.Concept == lexicon.Concept);
            if (index < 0) lexicons.Add(lexicon);
            else lexicons[index] = extend ? lexicons[index].Extend(lexicon, file) : WithShippedNames(lexicon);
        }
        return lexicons;
    }

    /// <summary>Parses one lexicon and its <c>extend</c> flag; errors name <paramref name="origin"/> and the line.</summary>
    public static (CounterfactualLexicon Lexicon, bool Extend) Parse(string yaml, string origin)
    {
        var y = new YamlNodes(origin);
        var root = y.LoadRoot(yaml);
        var top = y.Keys(root, "the lexicon", "concept", "extend", "groups");
        var concept = y.Required(top, "concept", root, "the lexicon");
        var extend = top.TryGetValue("extend", out var e) && y.Scalar(e, "extend") switch
        {
            "true" => true,
            "false" => false,
            _ => throw y.Error(e, "extend must be true or false"),
        };
        if (!top.TryGetValue("groups", out var groupsNode)) throw y.Error(root, "the lexicon needs 'groups'");
        var groups = new Dictionary<string, CounterfactualGroup>();
        foreach (var (key, value) in y.Mapping(groupsNode, "groups").Children)
        {
            var name = y.Scalar(key, "group name");
            var what = $"groups.{name}";
            var keys = y.Keys(value, what, "terms", "names", "years");
            (int, int)? years = null;
            if (keys.TryGetValue("years", out var yearsNode))
            {
                var band = y.Sequence(yearsNode, $"{what}.years").Children.Select((c, i) => y.Integer(c, $"{what}.years[{i}]")).ToArray();
                if (band is not [var from, var to] || from < 0 || to < from) throw y.Error(yearsNode, $"{what}.years must be [from, to] with 0 ≤ from ≤ to");
                years = (from, to);
            }
            var terms = keys.TryGetValue("terms", out var t) ? y.Strings(t, $"{what}.terms") : [];
            if (terms.FirstOrDefault(w => !w.All(char.IsLetter)) is { } bad)
                throw y.Error(t!, $"{what}.terms: '{bad}' is not one word of letters; terms are matched as whole words");
            groups[name] = new CounterfactualGroup(terms, keys.TryGetValue("names", out var n) ? y.Strings(n, $"{what}.names") : [], years);
        }
        if (groups.Count < 2 && !extend) throw y.Error(groupsNode, "a concept needs at least two groups to swap between");
        return (new CounterfactualLexicon(concept, groups), extend);
    }

    private CounterfactualLexicon Extend(CounterfactualLexicon more, string file)
    {
        var groups = Groups.ToDictionary(g => g.Key, g => g.Value);
        foreach (var (name, group) in more.Groups)
            groups[name] = groups.TryGetValue(name, out var known)
                ? new CounterfactualGroup([.. known.Terms, .. group.Terms], [.. known.Names, .. group.Names], group.Years ?? known.Years)
                : group;
        var lengths = groups.Select(g => g.Value.Terms.Count).Distinct().ToArray();
        if (lengths.Length > 1 && more.Groups.Values.Any(g => g.Terms.Count > 0))
            throw new FairscopeException($"{file}: extending '{Concept}' leaves its groups with {string.Join(" and ", lengths)} terms; add the same number of terms to every group so that positions stay counterparts");
        return this with { Groups = groups };
    }
}

/// <summary>One group of a <see cref="CounterfactualLexicon"/>: its terms (counterparts by position across groups), names
/// to draw from, and for age the inclusive band of years.</summary>
public sealed record CounterfactualGroup(IReadOnlyList<string> Terms, IReadOnlyList<string> Names, (int From, int To)? Years);
