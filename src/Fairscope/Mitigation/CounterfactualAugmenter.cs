namespace Fairscope;

/// <summary>
/// Counterfactual data augmentation of rows with several text fields (the multi-concept counterfactuals of "Social
/// Debiasing for Fair Multi-modal LLMs", arXiv 2408.06569): finds the concepts a row presents, and for every set of
/// up to <c>order</c> of them (gender; gender × race; …) and every combination of other groups, rewrites the row with
/// <see cref="CounterfactualRewriter"/> so that it presents those groups. A row without demographic terms has no variant.
/// </summary>
public sealed class CounterfactualAugmenter
{
    private readonly CounterfactualRewriter _rewriter;
    private readonly (string Concept, string[] Groups)[] _concepts;
    private readonly HashSet<string> _termWords = new(StringComparer.OrdinalIgnoreCase);
    private readonly int _order, _maxVariants;

    /// <summary>An augmenter over <paramref name="lexicons"/> (see <see cref="CounterfactualLexicon.Load"/>), combining up
    /// to <paramref name="order"/> concepts per variant and keeping at most <paramref name="maxVariants"/> per row (drawn
    /// at random when there are more).</summary>
    public CounterfactualAugmenter(IReadOnlyList<CounterfactualLexicon> lexicons, int order = 1, int maxVariants = 16)
    {
        if (order < 1) throw new FairscopeException($"the order must be at least 1 (one concept per variant), not {order}");
        if (maxVariants < 1) throw new FairscopeException($"at most {maxVariants} variants per row leaves none; give at least 1");
        var vocabulary = DemographicVocabulary.FromLexicons(lexicons);
        _rewriter = new CounterfactualRewriter(vocabulary);
        (_order, _maxVariants) = (order, maxVariants);
        // The groups the rewriter can present, per concept, in the lexicons' order.
        _concepts = [.. lexicons.Select(l => (l.Concept, l.Concept switch
        {
            "gender" => vocabulary.FirstNames.Keys.Where(g => g is "female" or "male").Order(StringComparer.Ordinal).ToArray(),
            "race" => vocabulary.Surnames.Keys.Intersect(vocabulary.RaceWords.Keys).ToArray(),
            "age" => [.. vocabulary.AgeBands.Keys],
            _ => [.. l.Groups.Keys],
        })).Where(c => c.Item2.Length > 1)];
        foreach (var lexicon in lexicons)
            foreach (var group in lexicon.Groups.Values) _termWords.UnionWith(group.Terms);
    }

    /// <summary>The counterfactuals of a row whose fields are <paramref name="texts"/>, in a fixed order (concept sets by
    /// size, then the lexicons' order), drawing names, ages and any sampling from <paramref name="random"/>; variants
    /// identical to the row are left out. Swaps are counted into <paramref name="report"/> when given.</summary>
    public IReadOnlyList<CounterfactualVariant> Variants(IReadOnlyList<string> texts, Random random, CounterfactualReport? report = null) =>
        Variants(texts, random, report, out _);

    /// <summary>As <see cref="Variants(IReadOnlyList{string}, Random, CounterfactualReport?)"/>, also giving the group
    /// the row itself presents per concept where it presents one.</summary>
    public IReadOnlyList<CounterfactualVariant> Variants(IReadOnlyList<string> texts, Random random, CounterfactualReport? report,
        out IReadOnlyDictionary<string, string> groups)
    {
        var spans = texts.Select(t => _rewriter.Terms.Find(t)).ToArray();
        var present = new List<(string Concept, string[] Targets, string Sources)>();
        // The groups found per concept (none when no word of it has a known group).
        var found = new Dictionary<string, SortedSet<string>>();
        foreach (var span in spans.SelectMany(s => s))
        {
            if (!found.TryGetValue(span.Attribute, out var categories)) found[span.Attribute] = categories = new(StringComparer.Ordinal);
            if (span.Category is not null) categories.Add(span.Category);
        }
        foreach (var (concept, all) in _concepts)
        {
            if (!found.TryGetValue(concept, out var categories)) continue;
            var sources = categories.ToArray();
            var targets = sources.Length == 1 ? all.Where(g => g != sources[0]).ToArray() : all;
            present.Add((concept, targets, sources.Length == 0 ? "?" : string.Join('+', sources)));
        }
        var own = present.Where(p => p.Sources is not "?" && !p.Sources.Contains('+')).ToDictionary(p => p.Concept, p => p.Sources);
        groups = own;
        if (present.Count == 0) return [];
        if (report is not null) report.RowsWithTerms++;

        var candidates = new List<(int Concept, string Group)[]>();
        foreach (var subset in Subsets(present.Count, Math.Min(_order, present.Count)))
            candidates.AddRange(Product(subset.Select(i => present[i].Targets.Select(g => (i, g)).ToArray()).ToArray()));
        if (candidates.Count > _maxVariants)
        {
            var indices = Enumerable.Range(0, candidates.Count).ToArray();
            for (var i = 0; i < _maxVariants; i++)
            {
                var j = random.Next(i, indices.Length);
                (indices[i], indices[j]) = (indices[j], indices[i]);
            }
            candidates = [.. indices.Take(_maxVariants).Order().Select(i => candidates[i])];
        }

        var variants = new List<CounterfactualVariant>(candidates.Count);
        var swaps = new List<(string Concept, string Term)>();
        foreach (var targets in candidates)
        {
            var presented = targets.ToDictionary(t => present[t.Concept].Concept, t => t.Group);
            var profile = DemographicProfile.For(presented);
            swaps.Clear();
            var rewritten = texts.Select((t, f) => _rewriter.Rewrite(t, spans[f], profile, random,
                (span, to) => swaps.Add((span.Attribute, ReportTerm(span.Text, to))))).ToArray();
            if (swaps.Count == 0) continue;
            var concepts = targets.Select(t => present[t.Concept].Concept).ToArray();
            variants.Add(new CounterfactualVariant(rewritten, concepts,
                string.Join(';', targets.Select(t => $"{present[t.Concept].Concept}:{present[t.Concept].Sources}>{t.Group}")),
                own.Where(o => !presented.ContainsKey(o.Key)).Concat(presented).ToDictionary()));
            if (report is null) continue;
            report.Variants++;
            foreach (var concept in concepts) report.VariantsPerConcept[concept] = report.VariantsPerConcept.GetValueOrDefault(concept) + 1;
            foreach (var (concept, term) in swaps) report.AddSwap(concept, term);
        }
        return variants;
    }

    private string ReportTerm(string from, string to) =>
        char.IsDigit(from[0]) ? "<years>" : _termWords.Contains(from) ? $"{from.ToLowerInvariant()}>{to.ToLowerInvariant()}" : "<name>";

    // Index sets of sizes 1..max over n items, smaller sets first, each in increasing order.
    private static IEnumerable<int[]> Subsets(int n, int max)
    {
        for (var size = 1; size <= max; size++)
            foreach (var subset in Choose(0, n, size)) yield return subset;
    }

    private static IEnumerable<int[]> Choose(int from, int n, int size)
    {
        if (size == 0) { yield return []; yield break; }
        for (var i = from; i <= n - size; i++)
            foreach (var rest in Choose(i + 1, n, size - 1)) yield return [i, .. rest];
    }

    private static IEnumerable<(int, string)[]> Product((int, string)[][] choices) =>
        choices.Aggregate(Enumerable.Repeat(Array.Empty<(int, string)>(), 1), (acc, options) => acc.SelectMany(prefix => options.Select(o => prefix.Append(o).ToArray())));
}
