namespace Fairscope;

/// <summary>
/// Compares an original data set with an LLM-augmented one along the three misalignments of the bias-inheritance paper
/// (arXiv 2502.04419), for the augmented set itself and for every mix at bias ratio γ (the augmented share): group data
/// (total variation and Jensen–Shannon divergence between the perceived-group shares of the mix and of the original, per
/// attribute and for gender × race), values (<see cref="Misalignment.ValuesGap"/> of the negative evaluative-cue shares per
/// group) and data distribution (Jensen–Shannon divergence of the word-unigram distribution over the top words, and of the
/// length-bin distribution). Mixes use <see cref="Misalignment.Mix"/>. The overall misalignment of a mix is the largest of
/// the group total variations, the values gap, and the two distribution divergences, all in [0, 1]; the recommended mix is
/// <see cref="Misalignment.RecommendedRatio"/> of it. Intervals: percentile bootstrap (<see cref="Bootstrap"/>), documents
/// resampled within each set, the vocabulary fixed.
/// </summary>
public sealed class InheritanceAnalyzer(Bootstrap bootstrap, int topWords = 500)
{
    /// <summary>The paper's bias ratios (0, 5, 10, 20 and 50%) and the augmented set alone.</summary>
    public static IReadOnlyList<double> StandardRatios { get; } = [0, 0.05, 0.1, 0.2, 0.5, 1];

    /// <summary>Name of the overall misalignment.</summary>
    public const string Overall = "overall";

    private const int Steps = 100;

    /// <summary>Names of the measures of a mix, in order: per attribute <c>group_tv:NAME</c> and <c>group_js:NAME</c>, then
    /// <c>values</c>, <c>topic_js</c>, <c>length_js</c> and <see cref="Overall"/>.</summary>
    public static IReadOnlyList<string> MeasureNames(InheritanceFeatures layout) =>
        [.. layout.Attributes.SelectMany(a => new[] { $"group_tv:{a.Name}", $"group_js:{a.Name}" }), "values", "topic_js", "length_js", Overall];

    /// <summary>Analyses the two sets; <paramref name="ratios"/> are the mixes reported in the table.</summary>
    public InheritanceAnalysis Analyze(IReadOnlyList<string> original, IReadOnlyList<string> augmented, double maxMisalignment, IReadOnlyList<double> ratios)
    {
        if (ratios.Any(r => r is < 0 or > 1 || double.IsNaN(r))) throw new FairscopeException($"--ratios: bias ratios must be between 0 and 1 ({string.Join(", ", ratios)})");
        if (!(maxMisalignment is > 0 and <= 1)) throw new FairscopeException($"--max-misalignment must be in (0, 1], not {maxMisalignment}");
        var layout = InheritanceFeatures.Create(original.Concat(augmented), topWords);
        var o = original.Select(layout.Of).ToArray();
        var a = augmented.Select(layout.Of).ToArray();
        var grid = Enumerable.Range(0, Steps + 1).Select(i => (double)i / Steps).Concat(ratios).Distinct().Order().ToArray();
        var measures = MeasureNames(layout);

        var names = new List<string>();
        var point = Statistics(layout, grid, Mean(layout, o, null), Mean(layout, a, null), names).ToArray();
        var replicates = bootstrap.Replicates(random => [.. Statistics(layout, grid, Mean(layout, o, random), Mean(layout, a, random), null)]);
        var index = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i);
        Estimate E(string name) => bootstrap.Estimate(point[index[name]], replicates.Select(r => r[index[name]]).ToArray());
        MixMisalignment MixAt(double g) => new(g, measures.ToDictionary(m => m, m => E($"mix:{g:R}:{m}")));

        var overall = grid.Select(g => point[index[$"mix:{g:R}:{Overall}"]]).ToArray();
        var upper = grid.Select(g => E($"mix:{g:R}:{Overall}").CiHigh ?? double.NaN).ToArray();
        var recommended = Misalignment.RecommendedRatio(grid, overall, maxMisalignment);
        var next = grid.FirstOrDefault(g => g > (recommended ?? -1), double.NaN);
        var binding = double.IsNaN(next) ? null
            : measures.Where(m => m != Overall).MaxBy(m => point[index[$"mix:{next:R}:{m}"]] is var v && double.IsNaN(v) ? double.NegativeInfinity : v);

        return new InheritanceAnalysis(original.Count, augmented.Count, layout.Vocabulary.Count,
            new BootstrapSummary(bootstrap.Resamples, bootstrap.Level, bootstrap.Seed, "percentile; documents resampled within each set"),
            layout.Attributes.Select(at => new GroupRepresentation(at.Name, at.Categories,
                at.Categories.ToDictionary(c => c, c => E($"share:o:{at.Name}:{c}")), at.Categories.ToDictionary(c => c, c => E($"share:a:{at.Name}:{c}")),
                E($"labelled:o:{at.Name}"), E($"labelled:a:{at.Name}"))).ToList(),
            layout.Groups.Select((g, i) => new GroupStance(g.Attribute, g.Category, E($"negative:o:{i}"), E($"negative:a:{i}"),
                point[index[$"cues:o:{i}"]], point[index[$"cues:a:{i}"]])).ToList(),
            E("words:o"), E("words:a"),
            ratios.Distinct().Order().Select(MixAt).ToList(),
            grid.Where(g => Math.Abs(g * 20 - Math.Round(g * 20)) < 1e-9).Select(MixAt).ToList(),
            new MixRecommendation(maxMisalignment, recommended, Misalignment.RecommendedRatio(grid, upper, maxMisalignment), binding),
            Methods);
    }

    /// <summary>The methods in words, for the report.</summary>
    public static IReadOnlyDictionary<string, string> Methods { get; } = new Dictionary<string, string>
    {
        ["group"] = "Each document is labelled with the built-in lexicon annotators (gender, race, age; gender × race joins the two); "
            + "shares among labelled documents; misalignment = total variation (and Jensen–Shannon divergence, bits) between the mix's shares and the original's.",
        ["values"] = "Sentences are labelled with the same annotators; in a sentence about group g, the positive and negative adjectives of Fairscope's "
            + "own evaluative word list (not a validated sentiment lexicon; no negation handling) are counted; a group's negative share is neg / (pos + neg); "
            + "misalignment = the largest absolute difference of negative shares over groups with cues in both.",
        ["topic_js"] = "Jensen–Shannon divergence (bits) between word-unigram distributions over the two sets' most frequent words plus one bin for all others.",
        ["length_js"] = "Jensen–Shannon divergence (bits) between distributions of document length in words over log2 bins (1, 2–3, 4–7, …, 2048+).",
        ["mix"] = "A γ-mix's per-document average counts are (1 − γ)·original + γ·augmented, so every share above is computed for the mix exactly from the two sets' counts.",
        [Overall] = "The largest of the group total variations, the values gap and the two distribution divergences; the recommended ratio is the largest γ "
            + "(0.01 steps) whose overall misalignment, and that of every smaller γ, is at most the threshold.",
    };

    private static double[] Mean(InheritanceFeatures layout, (int Index, double Count)[][] documents, Random? random)
    {
        var sum = new double[layout.Size];
        for (var i = 0; i < documents.Length; i++)
            foreach (var (k, c) in documents[random is null ? i : random.Next(documents.Length)]) sum[k] += c;
        for (var k = 0; k < sum.Length; k++) sum[k] /= documents.Length;
        return sum;
    }

    // Named only on the point pass (names != null); replicates produce the same values in the same order.
    private static List<double> Statistics(InheritanceFeatures layout, double[] grid, double[] o, double[] a, List<string>? names)
    {
        var values = new List<double>();
        void Add(string name, double value)
        {
            values.Add(value);
            names?.Add(name);
        }
        foreach (var (tag, m) in new[] { ("o", o), ("a", a) })
        {
            for (var at = 0; at < layout.Attributes.Count; at++)
            {
                var attribute = layout.Attributes[at];
                var block = m.AsSpan(layout.AttributeOffsets[at], attribute.Categories.Count);
                var shares = Misalignment.Shares(block);
                for (var k = 0; k < attribute.Categories.Count; k++) Add($"share:{tag}:{attribute.Name}:{attribute.Categories[k]}", shares?[k] ?? double.NaN);
                Add($"labelled:{tag}:{attribute.Name}", Sum(block));
            }
            for (var g = 0; g < layout.Groups.Count; g++)
            {
                var pos = m[layout.ValuesOffset + 2 * g];
                var neg = m[layout.ValuesOffset + 2 * g + 1];
                Add($"negative:{tag}:{g}", Misalignment.NegativeShare(pos, neg));
                Add($"cues:{tag}:{g}", pos + neg);
            }
            Add($"words:{tag}", m[layout.LengthOffset + InheritanceFeatures.LengthBins]);
        }
        foreach (var g in grid)
        {
            var mix = Misalignment.Mix(o, a, g);
            var prefix = names is null ? "" : $"mix:{g:R}:";
            var worst = double.NaN;
            void Measure(string name, double value, bool inOverall)
            {
                Add(prefix + name, value);
                if (inOverall && !double.IsNaN(value)) worst = double.IsNaN(worst) ? value : Math.Max(worst, value);
            }
            for (var at = 0; at < layout.Attributes.Count; at++)
            {
                var (start, length) = (layout.AttributeOffsets[at], layout.Attributes[at].Categories.Count);
                Measure($"group_tv:{layout.Attributes[at].Name}", Misalignment.TotalVariation(mix.AsSpan(start, length), o.AsSpan(start, length)), true);
                Measure($"group_js:{layout.Attributes[at].Name}", Misalignment.JensenShannon(mix.AsSpan(start, length), o.AsSpan(start, length)), false);
            }
            var valuesLength = 2 * layout.Groups.Count;
            Measure("values", Misalignment.ValuesGap(mix.AsSpan(layout.ValuesOffset, valuesLength), o.AsSpan(layout.ValuesOffset, valuesLength)), true);
            var wordsLength = layout.Vocabulary.Count + 1;
            Measure("topic_js", Misalignment.JensenShannon(mix.AsSpan(layout.WordsOffset, wordsLength), o.AsSpan(layout.WordsOffset, wordsLength)), true);
            Measure("length_js", Misalignment.JensenShannon(mix.AsSpan(layout.LengthOffset, InheritanceFeatures.LengthBins),
                o.AsSpan(layout.LengthOffset, InheritanceFeatures.LengthBins)), true);
            Add(prefix + Overall, worst);
        }
        return values;
    }

    private static double Sum(ReadOnlySpan<double> values)
    {
        double s = 0;
        foreach (var v in values) s += v;
        return s;
    }
}
