namespace Fairscope;

/// <summary>One prompt of a suite, after template expansion.</summary>
/// <param name="Id">Stable key (<c>template/slotvalue/...</c>) used by the store, replay files and reports.</param>
/// <param name="Text">The prompt sent to the model.</param>
/// <param name="Slots">Slot name → value id that produced this prompt (empty for plain prompts).</param>
/// <param name="References">Optional real-world reference distribution per attribute (e.g. labour statistics).</param>
/// <param name="CounterfactualSet">Prompts sharing this key differ only in the counterfactual slot; null when the suite has none.</param>
/// <param name="CounterfactualGroup">This prompt's value of the counterfactual slot.</param>
/// <param name="Question">For image suites: the understanding question about the same slot values, asked of a multimodal
/// model with a balanced set of images (partial alignment); null when the template has none.</param>
public sealed record SuitePrompt(
    string Id,
    string Text,
    IReadOnlyDictionary<string, string> Slots,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> References,
    string? CounterfactualSet = null,
    string? CounterfactualGroup = null,
    string? Question = null);
