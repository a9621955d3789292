namespace Fairscope;

/// <summary>One concept (an occupation) of the token-distribution locate analysis: the image-token distribution
/// (a histogram or probability vector over the codebook) of its neutral prompt, one per demographic prompt, and the
/// perceived labels of the neutral prompt's images, counted per attribute (attribute → label → images).</summary>
public sealed record TokenConcept(
    string Concept,
    IReadOnlyList<double> Neutral,
    IReadOnlyList<GroupTokens> Groups,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Perceived);
