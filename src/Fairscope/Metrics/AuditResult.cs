namespace Fairscope;

/// <summary>Everything an audit measured; serialised as results.json (schema: docs/results-schema.md).</summary>
public sealed record AuditResult(
    int FormatVersion,
    RunSummary Run,
    IReadOnlyList<AnnotatorSummary> Annotators,
    BootstrapSummary Bootstrap,
    IReadOnlyList<AttributeSummary> Attributes,
    IReadOnlyList<PromptResult> Prompts,
    CounterfactualResult? Counterfactual,
    IReadOnlyList<AnnotatorAgreement> Agreement,
    IReadOnlyList<string> Diagnostics)
{
    /// <summary>Bumped when a field changes meaning or disappears.</summary>
    public const int CurrentFormatVersion = 1;
}

/// <summary>Run metadata (no secrets).</summary>
public sealed record RunSummary(string Name, string Suite, string Provider, string Model, string? Endpoint, int SamplesPerPrompt,
    long Seed, string Parameters, string Status, DateTimeOffset CreatedAt, int Prompts, int OkSamples, int FailedSamples, string FairscopeVersion);

/// <summary>An annotator whose labels were used, and for which attributes.</summary>
public sealed record AnnotatorSummary(string Name, string Version, IReadOnlyList<string> Attributes);

/// <summary>How intervals were computed.</summary>
public sealed record BootstrapSummary(int Resamples, double Level, int Seed, string Method);

/// <summary>A point estimate with its bootstrap interval; nulls where undefined.</summary>
/// <param name="BootstrapBias">Mean of the bootstrap replicates minus the estimate. Metrics built on absolute
/// differences (bias score, distances) are biased upward with few samples per prompt, which shows here as a
/// positive value and can put the percentile interval above the estimate; more samples shrink it.</param>
public sealed record Estimate(double? Value, double? CiLow, double? CiHigh, double? BootstrapBias);

/// <summary>A metric aggregated over prompts: mean with interval, and the worst prompt.</summary>
/// <param name="BootstrapBias">Mean of the bootstrap replicates minus <see cref="Mean"/> (see <see cref="Estimate"/>).</param>
public sealed record AggregateEstimate(double? Mean, double? CiLow, double? CiHigh, double? BootstrapBias, double? Worst, string? WorstPrompt, int Prompts);

/// <summary>One attribute over the whole run.</summary>
/// <param name="Annotator">Whose labels the metrics use (for intersections: the components').</param>
/// <param name="Counts">Samples per category over all prompts, unknown included.</param>
/// <param name="UnlistedLabels">Labels outside the declared categories, counted as unknown.</param>
public sealed record AttributeSummary(string Name, IReadOnlyList<string> Categories, IReadOnlyDictionary<string, double> Target,
    IReadOnlyList<string> Components, string? Annotator, IReadOnlyDictionary<string, AggregateEstimate> Metrics,
    IReadOnlyDictionary<string, int> Counts, IReadOnlyDictionary<string, int> UnlistedLabels);

/// <summary>One prompt's results.</summary>
/// <param name="Samples">Samples with an output.</param>
/// <param name="Failed">Samples whose generation failed.</param>
public sealed record PromptResult(string Id, string Text, IReadOnlyDictionary<string, string> Slots, int Samples, int Failed,
    IReadOnlyDictionary<string, PromptAttributeResult> Attributes, Estimate RefusalRate, double? MeanLengthWords,
    IReadOnlyList<ExampleOutput> Examples);

/// <summary>One attribute on one prompt.</summary>
/// <param name="Frequencies">Shares among samples with a declared category; null when all are unknown.</param>
/// <param name="FrequenciesWithUnknown">Shares among all annotated samples, unknown included.</param>
public sealed record PromptAttributeResult(IReadOnlyDictionary<string, int> Counts, IReadOnlyDictionary<string, double>? Frequencies,
    IReadOnlyDictionary<string, double>? FrequenciesWithUnknown, IReadOnlyDictionary<string, Estimate> Metrics,
    IReadOnlyDictionary<string, double>? Reference);

/// <summary>A sample shown in the report, with its labels.</summary>
public sealed record ExampleOutput(int SampleIndex, string Output, IReadOnlyDictionary<string, string> Labels);

/// <summary>How well two annotators that label the same attribute agree: Cohen's kappa (Cohen 1960) over the samples
/// both labelled, unknown being a category of its own (see <see cref="Fairscope.Agreement"/>).</summary>
/// <param name="First">The annotator earlier in priority order.</param>
/// <param name="Samples">Samples both labelled.</param>
/// <param name="ObservedAgreement">Share of them with the same label; null without samples.</param>
/// <param name="Kappa">κ with its interval (samples resampled within each prompt); null where undefined: no samples,
/// or both gave every sample one and the same label.</param>
public sealed record AnnotatorAgreement(string Attribute, string First, string Second, int Samples, double? ObservedAgreement, Estimate Kappa);

/// <summary>Gaps between prompts that differ only in the counterfactual slot.</summary>
/// <param name="Gaps">Mean over all pairs in all sets, per measure: each attribute's total-variation gap, <c>refusal</c>, <c>length_words</c>.</param>
public sealed record CounterfactualResult(string Slot, int Sets, int Pairs, IReadOnlyDictionary<string, AggregateEstimate> Gaps,
    IReadOnlyList<GroupPairGaps> ByPair, IReadOnlyList<GroupSummary> ByGroup);

/// <summary>Mean gaps between two groups over the sets where both occur.</summary>
public sealed record GroupPairGaps(string A, string B, int Sets, IReadOnlyDictionary<string, double?> Gaps);

/// <summary>One group's outputs pooled over its prompts.</summary>
public sealed record GroupSummary(string Group, int Samples, double? RefusalRate, double? MeanLengthWords,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>?> Frequencies);
