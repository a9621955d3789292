namespace Fairscope;

/// <summary>
/// A mitigation the laboratory can apply when training a student on a mix of original and augmented documents, with
/// where it comes from. Each is re-audited against the unmitigated student of the same ratio and seeds.
/// </summary>
/// <param name="Name">The name <c>fairscope mitigate --method</c> takes.</param>
/// <param name="Source">The research it follows (see docs/laboratory.md).</param>
/// <param name="Description">What it changes, in one sentence.</param>
public sealed record LabMethod(string Name, string Source, string Description)
{
    /// <summary>No mitigation: the baseline student.</summary>
    public static LabMethod None { get; } = new("none", "-", "Trains on the mix as it is.");

    /// <summary>Token-based (bias inheritance, arXiv 2502.04419): a provenance marker on augmented documents.</summary>
    public static LabMethod Token { get; } = new("token", "Bias inheritance (arXiv 2502.04419), token-based",
        $"Prefixes every augmented document with \"{LabFormat.ProvenanceMarker}\" (its tokens weigh 0 in the loss, so it is never generated); prompts carry no marker, so the model conditions on original data.");

    /// <summary>Mask-based: demographic words of augmented documents out of the loss.</summary>
    public static LabMethod Mask { get; } = new("mask", "Bias inheritance (arXiv 2502.04419), mask-based",
        "Gives pronouns, gendered words, names, race words and ages of augmented documents loss weight 0: the student reads them but never learns to produce them from augmented data.");

    /// <summary>Loss-based: reweighing so that every group contributes equally within each occupation.</summary>
    public static LabMethod Reweigh { get; } = new("reweigh", "Bias inheritance (arXiv 2502.04419), loss-based; weights of Kamiran & Calders (2012)",
        "Weighs each document's loss by P(g)·P(y)/P(g,y) for its perceived gender g (lexicon annotator) and occupation y, so that gender and occupation are independent in the weighted mix.");

    /// <summary>Anti-stereotype debiasing: token-level loss rescaling by exp(−Skew) plus epoch resampling.</summary>
    public static LabMethod AntiStereotype { get; } = new("asd", "Social debiasing (arXiv 2408.06569), anti-stereotype debiasing",
        "Rescales the loss of a document's gender words by exp(−Skew) of its (occupation, perceived gender) and resamples each epoch, dropping over-represented and duplicating under-represented documents.");

    /// <summary>Counterfactual data augmentation over gender × race × age at once.</summary>
    public static LabMethod Counterfactual { get; } = new("counterfactual", "Social debiasing (arXiv 2408.06569), multi-concept counterfactual data",
        $"Adds {CounterfactualVariants} rewrites of every augmented document, each presenting a different (gender, race, age) profile drawn from the full grid, with names, pronouns, race words and ages swapped together.");

    /// <summary>Balanced preference optimisation after supervised training.</summary>
    public static LabMethod Preference { get; } = new("bpo", "U-MLLM fairness (arXiv 2502.03429), balanced preference optimisation",
        "Continues the baseline student's training with the BPO loss on (female, male) versions of original stories after each occupation's pronoun probe, plus the autoregressive loss on the mix to keep fidelity.");

    /// <summary>Every mitigation, in report order.</summary>
    public static IReadOnlyList<LabMethod> Mitigations { get; } = [Token, Mask, Reweigh, AntiStereotype, Counterfactual, Preference];

    /// <summary>Rewrites per augmented document for <see cref="Counterfactual"/>.</summary>
    public const int CounterfactualVariants = 2;

    /// <summary>The mitigation called <paramref name="name"/>; throws naming the known ones.</summary>
    public static LabMethod Parse(string name) =>
        Mitigations.FirstOrDefault(m => m.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new FairscopeException($"unknown mitigation '{name}'; use one of {string.Join(", ", Mitigations.Select(m => m.Name))}");
}
