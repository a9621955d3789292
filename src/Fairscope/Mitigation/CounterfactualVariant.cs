namespace Fairscope;

/// <summary>One counterfactual of a data row: its rewritten fields (in the order asked for) and its provenance.</summary>
/// <param name="Texts">The rewritten fields.</param>
/// <param name="Concepts">The concepts swapped, e.g. gender and race.</param>
/// <param name="Swap">What was swapped, e.g. <c>gender:female&gt;male;race:white&gt;asian</c> (sources joined by +, ? when unknown).</param>
/// <param name="Groups">The group the variant presents per concept, where it presents one (swapped concepts and the
/// row's other single-group concepts).</param>
public sealed record CounterfactualVariant(IReadOnlyList<string> Texts, IReadOnlyList<string> Concepts, string Swap,
    IReadOnlyDictionary<string, string> Groups);
