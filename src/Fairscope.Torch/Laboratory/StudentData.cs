namespace Fairscope;

/// <summary>
/// A student's training data: the mix of original and augmented documents at a bias ratio, and the training examples
/// each mitigation makes of it (tokens, per-token loss weights and, for anti-stereotype debiasing, the epoch resampler).
/// </summary>
internal static class StudentData
{
    private static readonly DemographicTerms Terms = new(DemographicVocabulary.World);
    private static readonly CounterfactualRewriter Rewriter = new(DemographicVocabulary.World);
    private static readonly IReadOnlyList<DemographicProfile> Grid = DemographicProfile.Grid(SyntheticWorld.Categories);

    /// <summary>Stories and labelled biographies, each kind mixed at <paramref name="ratio"/> (<see cref="BiasRatioMix"/>).</summary>
    public static IReadOnlyList<LabDocument> Mix(LabData data, double ratio, int seed) =>
        new[] { LabDocument.Story, LabDocument.Biography }.SelectMany((kind, k) =>
        {
            var (original, augmented) = data.OfKind(kind);
            return BiasRatioMix.Create(original, augmented, ratio, data.PerKind, seed * 2 + k).Select(m => m.Item);
        }).ToList();

    /// <summary>The training examples of <paramref name="method"/> on <paramref name="mix"/>; the resampler is set for
    /// anti-stereotype debiasing only. <see cref="LabMethod.Preference"/> trains on the plain mix (its second stage adds
    /// the preference loss).</summary>
    public static (IReadOnlyList<TrainingExample> Examples, IEpochResampler? Resampler) Examples(TextTokenizer tokenizer, LabMethod method,
        IReadOnlyList<LabDocument> mix, int seed)
    {
        if (method == LabMethod.Token)
            return (mix.Select(d => d.Augmented ? Marked(tokenizer, d.Text) : LabTraining.Example(tokenizer, d.Text)).ToList(), null);
        if (method == LabMethod.Mask)
            return (mix.Select(d => d.Augmented
                ? LabTraining.Example(tokenizer, d.Text, Terms.Find(d.Text).Select(s => (s.Start, s.Length, 0f)).ToList())
                : LabTraining.Example(tokenizer, d.Text)).ToList(), null);
        if (method == LabMethod.Reweigh)
        {
            var weights = FairnessMetrics.ReweighingWeights(mix.Select(d => d.Occupation.Id).ToList(), mix.Select(d => GenderOf(d.Text)).ToList());
            return (mix.Select((d, i) => TrainingExample.Weighted([.. LabTraining.Example(tokenizer, d.Text).Tokens], (float)weights[i])).ToList(), null);
        }
        if (method == LabMethod.AntiStereotype) return AntiStereotype(tokenizer, mix);
        if (method == LabMethod.Counterfactual)
        {
            var random = new Random(seed);
            var variants = mix.Where(d => d.Augmented).SelectMany(d => Rewriter.Variants(d.Text, Grid, LabMethod.CounterfactualVariants, random)
                .Select(v => d with { Text = v.Text }));
            return (mix.Concat(variants).Select(d => LabTraining.Example(tokenizer, d.Text)).ToList(), null);
        }
        return (mix.Select(d => LabTraining.Example(tokenizer, d.Text)).ToList(), null);
    }

    /// <summary>Preference sets for balanced preference optimisation: for each original story that opens with its
    /// occupation's pronoun probe, the probe as prompt and the story's female and male rewrites as the two completions
    /// (up to <paramref name="perOccupation"/> per occupation, each fitting <paramref name="contextLength"/>).</summary>
    public static IReadOnlyList<PreferenceSet> PreferenceSets(TextTokenizer tokenizer, IReadOnlyList<LabDocument> original, int perOccupation,
        int contextLength, int seed)
    {
        var random = new Random(seed);
        var sets = new List<PreferenceSet>();
        foreach (var occupation in WorldOccupations.All)
        {
            var probe = LabFormat.PronounProbe(occupation);
            var prompt = tokenizer.Encode(probe);
            var stories = original.Where(d => d.Kind == LabDocument.Story && d.Occupation == occupation && d.Text.StartsWith(probe + " ", StringComparison.Ordinal));
            sets.AddRange(stories.Select(story => new PreferenceSet(prompt, new[] { "female", "male" }
                    .Select(g => (IReadOnlyList<int>)tokenizer.Encode(Rewriter.Rewrite(story.Text, new DemographicProfile(g, null, null), random)[probe.Length..]))
                    .ToList()))
                .Where(set => set.Completions.All(c => prompt.Length + c.Count - 1 <= contextLength))
                .Take(perOccupation));
        }
        return sets;
    }

    // The marker's tokens come first and weigh 0: the student conditions on the marker but never learns to write it.
    private static TrainingExample Marked(TextTokenizer tokenizer, string text)
    {
        var marker = tokenizer.Encode(LabFormat.ProvenanceMarker);
        var example = LabTraining.Example(tokenizer, " " + text);
        return new TrainingExample([.. marker, .. example.Tokens], [.. marker.Select(_ => 0f), .. example.Tokens.Select(_ => 1f)]);
    }

    // ASD over (occupation, perceived gender) with a uniform desired gender distribution: gender words of a document
    // weigh exp(−Skew), and each epoch drops or duplicates documents; documents without a gender cue are always kept.
    private static (IReadOnlyList<TrainingExample>, IEpochResampler) AntiStereotype(TextTokenizer tokenizer, IReadOnlyList<LabDocument> mix)
    {
        var genders = mix.Select(d => GenderOf(d.Text)).ToList();
        var known = Enumerable.Range(0, mix.Count).Where(i => genders[i] != DemographicAttribute.Unknown).ToArray();
        var unknown = Enumerable.Range(0, mix.Count).Where(i => genders[i] == DemographicAttribute.Unknown).ToArray();
        var categories = SyntheticWorld.Categories["gender"];
        var asd = new AntiStereotypeDebiasing(known.Select(i => (mix[i].Occupation.Id, genders[i])).ToList(), DemographicAttribute.Uniform(categories));
        var weightOf = known.Select((i, k) => (i, k)).ToDictionary(x => x.i, x => (float)asd.LossWeights[x.k]);
        var examples = mix.Select((d, i) => weightOf.TryGetValue(i, out var w)
            ? LabTraining.Example(tokenizer, d.Text, Terms.Find(d.Text).Where(s => s.Attribute == "gender").Select(s => (s.Start, s.Length, w)).ToList())
            : LabTraining.Example(tokenizer, d.Text)).ToList();
        return (examples, new KnownOnlyResampler(asd, known, unknown));
    }

    private static string GenderOf(string text) => LexiconAnnotator.BuiltIn("gender")!.Label(text).Label;

    private sealed class KnownOnlyResampler(AntiStereotypeDebiasing asd, int[] known, int[] unknown) : IEpochResampler
    {
        public IReadOnlyList<int> NextEpoch(Random random) => [.. asd.NextEpoch(random).Select(k => known[k]), .. unknown];
    }
}
