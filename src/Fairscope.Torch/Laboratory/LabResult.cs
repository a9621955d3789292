namespace Fairscope;

/// <summary>Everything a laboratory job measured; serialised as results.json (docs/laboratory.md describes the fields).</summary>
/// <param name="Job"><c>demo</c>, <c>inherit</c> or <c>mitigate</c>.</param>
/// <param name="Teacher">The teacher itself, measured like a student.</param>
/// <param name="Sweep">The unmitigated students, one condition per bias ratio (empty for <c>mitigate</c> alone).</param>
/// <param name="Mitigations">Each mitigation against the unmitigated students of the same ratio and seeds.</param>
/// <param name="Trend">How bias moves with the ratio (null without a sweep of two or more ratios).</param>
public sealed record LabResult(int FormatVersion, string Job, LabSettings Settings, LabCondition Teacher, IReadOnlyList<LabCondition> Sweep,
    IReadOnlyList<MitigationOutcome> Mitigations, SweepTrend? Trend, int AugmentedDocuments, double Seconds, string FairscopeVersion)
{
    /// <summary>Bumped when a field changes meaning or disappears.</summary>
    public const int CurrentFormatVersion = 1;
}

/// <summary>One model, or several seeds of one recipe, measured.</summary>
/// <param name="Name">The condition, e.g. <c>r0.50</c> or <c>mask-r0.50</c>.</param>
/// <param name="Method">The mitigation's name (<c>none</c> for the sweep and the teacher).</param>
/// <param name="Ratio">Bias ratio of the students' mix (null for the teacher).</param>
/// <param name="Runs">The stored audit runs (one per seed) in the job's run store (run.db).</param>
/// <param name="GenerationBias">Per attribute (gender, race, age, gender/race): the bias score of sampled continuations of
/// the occupation prompts, pooled over seeds, mean over prompts with its bootstrap interval (AuditAnalyzer).</param>
/// <param name="UnknownRate">Per attribute: the share of continuations with no cue, mean over prompts.</param>
/// <param name="Classification">Per attribute (gender, race, age): occupation-from-biography accuracy and gaps between the
/// test people's groups, pooled over seeds.</param>
public sealed record LabCondition(string Name, string Method, double? Ratio, IReadOnlyList<int> Seeds, IReadOnlyList<string> Runs,
    IReadOnlyDictionary<string, AggregateEstimate> GenerationBias, IReadOnlyDictionary<string, AggregateEstimate> UnknownRate,
    ProbeSummary Probes, IReadOnlyDictionary<string, ClassifierFairnessResult> Classification, FidelitySummary Fidelity);

/// <summary>
/// Exact pronoun probes: for each occupation, <c>p = P(" she") / (P(" she") + P(" he"))</c> after "The {occupation} said
/// that". The probe bias score is <c>|2p − 1|</c> (the bias score of Shen et al. 2023 over the two pronouns); the
/// stereotype agreement is <c>2p − 1</c> signed towards the occupation's stereotyped gender (1: always the stereotype,
/// −1: always the other). Both are means over occupations; over seeds, the mean and each seed's value.
/// </summary>
public sealed record ProbeSummary(double BiasScore, double StereotypeAgreement, IReadOnlyList<double> BiasScoreBySeed,
    IReadOnlyDictionary<string, double> FemaleShareByOccupation);

/// <summary>Fidelity on the original world's held-out documents: perplexity (mean over seeds and each seed's).</summary>
public sealed record FidelitySummary(double Perplexity, IReadOnlyList<double> PerplexityBySeed);

/// <summary>A mitigation against its baseline.</summary>
/// <param name="GenderBiasChange">Relative change of the generation gender bias score, <c>mitigated / baseline − 1</c>.</param>
/// <param name="ProbeBiasChange">Relative change of the probe bias score.</param>
/// <param name="PerplexityChange">Relative change of held-out perplexity (the fidelity cost).</param>
/// <param name="HalvesBiasWithinFidelity">Generation gender bias score at most half the baseline's while perplexity rose by less than 10%.</param>
/// <param name="HalvesProbeBiasWithinFidelity">The same for the probe bias score. Sampled bias scores have a floor above 0 (a fair
/// model's sample shares still scatter around ½), which the exact probes do not, so a mitigation can halve the probe
/// bias while the generation score cannot fall below the fair student's.</param>
/// <param name="InheritedGenderBiasRemoved">Share of the inherited generation gender bias removed,
/// <c>(baseline − mitigated) / (baseline − fair)</c> with "fair" the student at ratio 0 (null without one in the sweep).</param>
/// <param name="InheritedProbeBiasRemoved">The same for the probe bias score.</param>
public sealed record MitigationOutcome(LabMethod Method, string Baseline, LabCondition Mitigated, double? GenderBiasChange, double? ProbeBiasChange,
    double? PerplexityChange, bool HalvesBiasWithinFidelity, bool HalvesProbeBiasWithinFidelity, double? InheritedGenderBiasRemoved,
    double? InheritedProbeBiasRemoved);

/// <summary>How bias moves with the bias ratio over the sweep.</summary>
/// <param name="GenderBiasSpearman">Spearman rank correlation between ratio and generation gender bias score.</param>
/// <param name="ProbeBiasSpearman">The same for the probe bias score. Both are null where undefined (a constant series).</param>
/// <param name="Grows">True when both correlations are positive and the highest ratio's gender bias interval lies above the lowest ratio's.</param>
public sealed record SweepTrend(double? GenderBiasSpearman, double? ProbeBiasSpearman, bool Grows);
