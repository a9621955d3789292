using static TorchSharp.torch;

namespace Fairscope;

/// <summary>
/// The prompts of a closed-form cross-attention edit: each concept's edit prompt (MIST: "a person of {occupation}"), one
/// prompt per concept and attribute class that names the class ("a photo of a young black female doctor"), and the
/// preserved prompts (MIST: only the empty prompt). <see cref="Embed"/> turns them into the end-of-text embeddings the
/// edit works with.
/// </summary>
/// <param name="Concepts">The concepts' names (occupations).</param>
/// <param name="Classes">The attribute classes' words, e.g. "young black female" (joint classes for MIST, one attribute's
/// categories for UCE-style edits).</param>
/// <param name="ConceptPrompts">Prompt of each concept.</param>
/// <param name="ClassPrompts">Prompt of each concept (row) with each class (column).</param>
/// <param name="Preserved">Prompts the edit keeps.</param>
public sealed record EditPrompts(IReadOnlyList<string> Concepts, IReadOnlyList<string> Classes, IReadOnlyList<string> ConceptPrompts, string[,] ClassPrompts,
    IReadOnlyList<string> Preserved)
{
    /// <summary>Prompts from a template holding <c>{concept}</c> or <c>{a:concept}</c> (with its indefinite article):
    /// the concept alone for the edit prompt, the class words before it for the class prompts.</summary>
    public static EditPrompts FromTemplate(string template, IReadOnlyList<string> concepts, IReadOnlyList<string> classes, IReadOnlyList<string> preserved)
    {
        if (!template.Contains("{concept}", StringComparison.Ordinal) && !template.Contains("{a:concept}", StringComparison.Ordinal))
            throw new FairscopeException($"the prompt template '{template}' must hold {{concept}} or {{a:concept}}");
        if (concepts.Count == 0 || classes.Count < 2)
            throw new FairscopeException($"an edit needs at least one concept and two attribute classes ({concepts.Count} concepts, {classes.Count} classes)");
        static string Fill(string template, string words) =>
            template.Replace("{a:concept}", $"{SuiteLoader.IndefiniteArticle(words)} {words}", StringComparison.Ordinal).Replace("{concept}", words, StringComparison.Ordinal);
        var classPrompts = new string[concepts.Count, classes.Count];
        for (int i = 0; i < concepts.Count; i++)
            for (int j = 0; j < classes.Count; j++)
                classPrompts[i, j] = Fill(template, $"{classes[j]} {concepts[i]}");
        return new EditPrompts(concepts, classes, [.. concepts.Select(c => Fill(template, c))], classPrompts, preserved);
    }

    /// <summary>The edit's specification with the end-of-text embeddings of every prompt from <paramref name="encoder"/>
    /// and the class weights <paramref name="weights"/> (concepts × classes). The tensors belong to the current dispose scope.</summary>
    public CrossAttentionEditSpec Embed(ClipTextModel encoder, ClipTokenizer tokenizer, double[,] weights, double lambda, double preserveScale)
    {
        int n = Concepts.Count, k = Classes.Count;
        var concepts = encoder.EndOfTextEmbeddings(tokenizer, ConceptPrompts);
        var classes = encoder.EndOfTextEmbeddings(tokenizer, [.. Enumerable.Range(0, n * k).Select(x => ClassPrompts[x / k, x % k])]).view(n, k, -1);
        var preserved = Preserved.Count == 0 ? zeros(0, concepts.shape[1]) : encoder.EndOfTextEmbeddings(tokenizer, Preserved);
        return new CrossAttentionEditSpec(ConceptPrompts, Classes, concepts, classes, weights, Preserved, preserved, lambda, preserveScale);
    }
}
