namespace Fairscope;

/// <summary>
/// Turns a run's samples and labels into an <see cref="AuditResult"/>: per prompt, group counts and the
/// metrics of <see cref="PromptMetrics"/> for every attribute and intersection; over prompts, the mean and the
/// worst prompt; and percentile-bootstrap intervals for all of them, resampling samples within each prompt.
/// Metrics for a prompt use only its samples labelled with a declared category; prompts where every sample is
/// unknown are left out of the aggregates (their count is reported). Where several annotators label one attribute,
/// their pairwise agreement is reported too.
/// </summary>
public sealed class AuditAnalyzer(Bootstrap bootstrap)
{
    private const int MaxExamples = 3;

    /// <summary>Analyses <paramref name="samples"/> labelled by <paramref name="annotators"/> (earlier annotators win
    /// where two label the same attribute).</summary>
    public AuditResult Analyze(RunInfo run, Suite suite, IReadOnlyList<SampleRecord> samples, IReadOnlyList<AnnotationRecord> annotations,
        IReadOnlyList<IAnnotator> annotators)
    {
        var diagnostics = new List<string>();
        var plain = suite.Attributes.Where(a => !a.IsIntersection).ToList();
        var source = plain.ToDictionary(a => a.Name, a => annotators.FirstOrDefault(x => x.Attributes.Contains(a.Name)));
        foreach (var (name, _) in source.Where(s => s.Value is null))
            diagnostics.Add($"no annotator labels '{name}'; all its samples count as unknown");

        var inRun = samples.Where(s => s.SampleIndex < run.Spec.SamplesPerPrompt).ToList();
        var ok = inRun.Where(s => s.Ok).ToList();
        var refusal = annotators.FirstOrDefault(a => a.Attributes.Contains(RefusalAnnotator.Attribute));
        var samplesByPrompt = LabelSamples(ok, annotations, plain, source, refusal, out var unlisted);
        var prompts = suite.Prompts;
        var failedByPrompt = inRun.Where(s => !s.Ok).GroupBy(s => s.PromptId).ToDictionary(g => g.Key, g => g.Count());

        // counts[a][p]: attribute a on prompt p; refusals[p] = (refused, total).
        var attributes = suite.Attributes;
        var counts = attributes.Select(a => prompts.Select(p => GroupCounts.From(a,
            samplesByPrompt.GetValueOrDefault(p.Id, []).Select(s => LabelOf(a, s.Labels, plain)))).ToArray()).ToArray();
        var refusals = prompts.Select(p => samplesByPrompt.GetValueOrDefault(p.Id, [])
            .Select(s => s.Labels.Refusal).Where(r => r is not null).ToList())
            .Select(r => new[] { r.Count(x => x == RefusalAnnotator.Refused), r.Count(x => x != RefusalAnnotator.Refused) }).ToArray();
        var targets = attributes.Select(a => a.Categories.Select(c => a.Target[c]).ToArray()).ToArray();
        var references = attributes.Select(a => prompts.Select(p => p.References.TryGetValue(a.Name, out var r)
            ? a.Categories.Select(c => r[c]).ToArray() : null).ToArray()).ToArray();

        var m = PromptMetrics.Names.Count;
        var stride = prompts.Count * m;
        double[] Statistics(Func<GroupCounts, int[]> countsOf, Func<int[], int[]> refusalOf)
        {
            var v = new double[attributes.Count * stride + prompts.Count];
            for (var a = 0; a < attributes.Count; a++)
                for (var p = 0; p < prompts.Count; p++)
                    PromptMetrics.Compute(countsOf(counts[a][p]), targets[a], references[a][p]).CopyTo(v, a * stride + p * m);
            for (var p = 0; p < prompts.Count; p++)
            {
                var r = refusalOf(refusals[p]);
                v[attributes.Count * stride + p] = RefusalRate(r);
            }
            return v;
        }
        var point = Statistics(c => c.Counts, r => r);
        var replicates = bootstrap.Replicates(random => Statistics(c => Resample(random, c.Counts), r => Resample(random, r)));

        Estimate EstimateAt(int index) => bootstrap.Estimate(point[index], replicates.Select(r => r[index]).ToArray());

        var promptResults = prompts.Select((prompt, p) =>
        {
            var perAttribute = attributes.Select((a, ai) =>
            {
                var c = counts[ai][p];
                var metrics = PromptMetrics.Names.Select((name, mi) => (name, EstimateAt(ai * stride + p * m + mi)))
                    .Where(x => x.name != PromptMetrics.TvReference || references[ai][p] is not null).ToDictionary(x => x.name, x => x.Item2);
                return (a.Name, new PromptAttributeResult(c.ToDictionary(), Named(a.Categories, GroupCounts.KnownFrequencies(c.Counts)),
                    Named([.. a.Categories, DemographicAttribute.Unknown], GroupCounts.AllFrequencies(c.Counts)), metrics,
                    prompt.References.GetValueOrDefault(a.Name)));
            }).ToDictionary(x => x.Name, x => x.Item2);
            var promptSamples = samplesByPrompt.GetValueOrDefault(prompt.Id, []);
            return new PromptResult(prompt.Id, prompt.Text, prompt.Slots, promptSamples.Count, failedByPrompt.GetValueOrDefault(prompt.Id),
                perAttribute, EstimateAt(attributes.Count * stride + p),
                promptSamples.Count == 0 ? null : promptSamples.Average(s => WordCount(s.Sample.Output!)),
                promptSamples.Take(MaxExamples).Select(s => new ExampleOutput(s.Sample.SampleIndex, s.Sample.Output!,
                    attributes.ToDictionary(a => a.Name, a => LabelOf(a, s.Labels, plain)))).ToList());
        }).ToList();

        var promptIds = prompts.Select(p => p.Id).ToList();
        var summaries = attributes.Select((a, ai) =>
        {
            var metrics = PromptMetrics.Names.Select((name, mi) => (name, Aggregate(bootstrap, PromptMetrics.HigherIsFairer(name), promptIds,
                p => point[ai * stride + p * m + mi], replicates.Select(r => (Func<int, double>)(p => r[ai * stride + p * m + mi])))))
                .Where(x => x.Item2.Prompts > 0).ToDictionary(x => x.name, x => x.Item2);
            var total = new int[a.Categories.Count + 1];
            foreach (var c in counts[ai]) for (var k = 0; k < total.Length; k++) total[k] += c.Counts[k];
            var annotator = a.IsIntersection
                ? string.Join(" × ", a.Components.Select(n => source[n]?.Name ?? "none"))
                : source[a.Name]?.Name;
            return new AttributeSummary(a.Name, a.Categories, a.Target, a.Components, annotator, metrics,
                new GroupCounts(a, total).ToDictionary(), unlisted.GetValueOrDefault(a.Name, []));
        }).ToList();
        foreach (var (name, labelCounts) in unlisted)
            diagnostics.Add($"'{name}' labels outside the declared categories were counted as unknown: {string.Join(", ", labelCounts.Select(l => $"{l.Key} ×{l.Value}"))}");

        return new AuditResult(AuditResult.CurrentFormatVersion,
            new RunSummary(run.Spec.Name, suite.Name, run.Spec.Provider, run.Spec.Model, run.Spec.Endpoint, run.Spec.SamplesPerPrompt,
                run.Spec.Seed, run.Spec.Parameters, run.Status, run.CreatedAt, prompts.Count, ok.Count, inRun.Count - ok.Count, FairscopeInfo.Version),
            annotators.Select(a => new AnnotatorSummary(a.Name, a.Version, a.Attributes)).ToList(),
            new BootstrapSummary(bootstrap.Resamples, bootstrap.Level, bootstrap.Seed, "percentile; samples resampled within each prompt"),
            summaries, promptResults,
            suite.CounterfactualSlot is null ? null : new CounterfactualAnalyzer(bootstrap).Analyze(suite, samplesByPrompt, plain),
            new AgreementAnalyzer(bootstrap).Analyze(ok, annotations, annotators, plain), diagnostics);
    }

    /// <summary>Mean over the items (prompts, or counterfactual pairs) with a defined value, its bootstrap interval,
    /// and the worst item: the smallest value when <paramref name="higherIsBetter"/>, else the largest.</summary>
    internal static AggregateEstimate Aggregate(Bootstrap bootstrap, bool higherIsBetter, IReadOnlyList<string> ids, Func<int, double> value,
        IEnumerable<Func<int, double>> replicateValues)
    {
        // NaN means undefined (no known label) and is left out; +∞ (KL where the target is 0) is kept: it makes the mean
        // and the worst value infinite, reported as null with the worst prompt named, and a gate on them fails.
        var defined = Enumerable.Range(0, ids.Count).Where(i => !double.IsNaN(value(i))).ToList();
        if (defined.Count == 0) return new AggregateEstimate(null, null, null, null, null, null, 0);
        var worst = higherIsBetter ? defined.MinBy(value) : defined.MaxBy(value);
        var means = replicateValues.Select(r => MeanOfDefined(Enumerable.Range(0, ids.Count).Select(r))).ToArray();
        var interval = bootstrap.Interval(means);
        var mean = defined.Average(value);
        return new AggregateEstimate(Finite(mean), interval?.Low, interval?.High, Bootstrap.BiasOf(means, mean), Finite(value(worst)), ids[worst], defined.Count);
    }

    /// <summary>Mean of the values that are not NaN (+∞ propagates); NaN when there are none.</summary>
    internal static double MeanOfDefined(IEnumerable<double> values)
    {
        double sum = 0;
        var n = 0;
        foreach (var v in values) if (!double.IsNaN(v)) { sum += v; n++; }
        return n == 0 ? double.NaN : sum / n;
    }

    internal static int[] Resample(Random random, int[] counts)
    {
        var result = new int[counts.Length];
        Sampling.Multinomial(random, counts, result);
        return result;
    }

    /// <summary>Per sample: the label of each plain attribute (null when unlabelled) and the refusal label.</summary>
    internal sealed class SampleLabels(int attributes)
    {
        public string?[] Plain { get; } = new string?[attributes];
        public string? Refusal { get; set; }
    }

    /// <summary>A successful sample with the labels the chosen annotators gave it.</summary>
    internal sealed record LabelledSample(SampleRecord Sample, SampleLabels Labels);

    // Indexed by prompt, then sample index: a million labels are looked up without hashing tuple keys.
    private static Dictionary<string, List<LabelledSample>> LabelSamples(List<SampleRecord> ok, IReadOnlyList<AnnotationRecord> annotations,
        List<DemographicAttribute> plain, Dictionary<string, IAnnotator?> source, IAnnotator? refusal,
        out Dictionary<string, Dictionary<string, int>> unlisted)
    {
        var index = plain.Select((a, i) => (a.Name, i)).ToDictionary(x => x.Name, x => x.i);
        var byPrompt = ok.GroupBy(s => s.PromptId).ToDictionary(g => g.Key, g => g.OrderBy(s => s.SampleIndex)
            .Select(s => new LabelledSample(s, new SampleLabels(plain.Count))).ToList());
        var bySampleIndex = byPrompt.ToDictionary(p => p.Key, p =>
        {
            var slots = new SampleLabels?[p.Value[^1].Sample.SampleIndex + 1];
            foreach (var s in p.Value) slots[s.Sample.SampleIndex] = s.Labels;
            return slots;
        });
        unlisted = [];
        foreach (var a in annotations)
        {
            if (!bySampleIndex.TryGetValue(a.PromptId, out var slots) || a.SampleIndex >= slots.Length || slots[a.SampleIndex] is not { } labels) continue;
            if (a.Attribute == RefusalAnnotator.Attribute)
            {
                if (a.Annotator == refusal?.Name && a.AnnotatorVersion == refusal.Version) labels.Refusal = a.Label;
                continue;
            }
            if (!index.TryGetValue(a.Attribute, out var i) || source[a.Attribute] is not { } chosen
                || chosen.Name != a.Annotator || chosen.Version != a.AnnotatorVersion) continue;
            labels.Plain[i] = a.Label;
            if (a.Label != DemographicAttribute.Unknown && !plain[i].Categories.Contains(a.Label))
            {
                var perLabel = unlisted.TryGetValue(a.Attribute, out var d) ? d : unlisted[a.Attribute] = [];
                perLabel[a.Label] = perLabel.GetValueOrDefault(a.Label) + 1;
            }
        }
        return byPrompt;
    }

    /// <summary>The sample's label for <paramref name="attribute"/>; an intersection joins its components' labels
    /// and is unknown when any component is.</summary>
    internal static string LabelOf(DemographicAttribute attribute, SampleLabels labels, List<DemographicAttribute> plain)
    {
        string Plain(string name)
        {
            var i = plain.FindIndex(a => a.Name == name);
            var label = labels.Plain[i];
            return label is not null && plain[i].Categories.Contains(label) ? label : DemographicAttribute.Unknown;
        }
        if (!attribute.IsIntersection) return Plain(attribute.Name);
        var parts = attribute.Components.Select(Plain).ToList();
        return parts.Contains(DemographicAttribute.Unknown) ? DemographicAttribute.Unknown : string.Join(DemographicAttribute.JointSeparator, parts);
    }

    /// <summary>Refused / (refused + answered) from a [refused, answered] pair; NaN without refusal labels.</summary>
    internal static double RefusalRate(int[] r) => r[0] + r[1] == 0 ? double.NaN : (double)r[0] / (r[0] + r[1]);

    internal static int WordCount(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    internal static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static IReadOnlyDictionary<string, double>? Named(IReadOnlyList<string> names, double[]? values) =>
        values is null ? null : names.Select((n, i) => (n, values[i])).ToDictionary(x => x.n, x => x.Item2);
}
