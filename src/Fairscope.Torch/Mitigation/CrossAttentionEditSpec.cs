using static TorchSharp.torch;

namespace Fairscope;

/// <summary>
/// A request to edit a diffusion model's cross-attention so that each concept (an occupation, say) is drawn with
/// attribute classes in chosen proportions, as MIST does (Yesiltepe et al., "MIST: Mitigating Intersectional Bias with
/// Disentangled Cross-Attention Editing in Text-to-Image Diffusion Models", arXiv 2403.19738). Embeddings are text
/// embeddings taken at the end-of-text token of a prompt, as wide as the U-Net's cross-attention input; this type does
/// not compute them. <see cref="ClosedFormEdit"/> does the arithmetic; <see cref="CrossAttentionEditor"/> applies it
/// to a checkpoint. The caller keeps ownership of the tensors.
/// </summary>
/// <param name="Concepts">The n edited concepts' prompts, for the record (e.g. "a person of doctor").</param>
/// <param name="Classes">The K attribute classes' names, for the record (e.g. "young black woman").</param>
/// <param name="ConceptEmbeddings">c_i: (n, d), one embedding per concept.</param>
/// <param name="AttributeEmbeddings">a_ij: (n, K, d), concept i with attribute class j (e.g. "a photo of a young black
/// woman doctor").</param>
/// <param name="Weights">w_ij: (n, K), how far to move concept i towards class j; positive raises the class, zero
/// leaves it. From an audit or MIST's iterative loop.</param>
/// <param name="Preserved">The m preserved concepts' prompts, for the record (MIST: just the empty prompt).</param>
/// <param name="PreservedEmbeddings">c_r: (m, d), concepts whose outputs the edit keeps; m may be 0.</param>
/// <param name="Lambda">λ ≥ 0, how strongly W' stays near W everywhere (MIST and UCE: 0.5).</param>
/// <param name="PreserveScale">s_p ≥ 0, the weight of the preserved concepts (MIST: 0.2; UCE: 0.1).</param>
public sealed record CrossAttentionEditSpec(
    IReadOnlyList<string> Concepts,
    IReadOnlyList<string> Classes,
    Tensor ConceptEmbeddings,
    Tensor AttributeEmbeddings,
    double[,] Weights,
    IReadOnlyList<string> Preserved,
    Tensor PreservedEmbeddings,
    double Lambda = CrossAttentionEditSpec.DefaultLambda,
    double PreserveScale = CrossAttentionEditSpec.DefaultPreserveScale)
{
    /// <summary>MIST's (and UCE's) λ.</summary>
    public const double DefaultLambda = 0.5;

    /// <summary>MIST's preserve scale (UCE used 0.1).</summary>
    public const double DefaultPreserveScale = 0.2;

    /// <summary>d, the embeddings' width (the last dimension of <see cref="ConceptEmbeddings"/>).</summary>
    public int TextWidth => checked((int)ConceptEmbeddings.shape[^1]);

    /// <summary>Throws <see cref="FairscopeException"/> naming the field when shapes, counts or values disagree.</summary>
    public void Validate()
    {
        using var scope = NewDisposeScope();
        if (ConceptEmbeddings.dim() != 2 || ConceptEmbeddings.shape[0] == 0)
            throw Invalid($"ConceptEmbeddings has shape [{string.Join(", ", ConceptEmbeddings.shape)}]; it must be (concepts, width) with at least one concept");
        long n = ConceptEmbeddings.shape[0], d = ConceptEmbeddings.shape[1];
        if (Concepts.Count != n) throw Invalid($"{Concepts.Count} concept prompts but {n} concept embeddings");
        long[] attributes = AttributeEmbeddings.shape;
        if (attributes.Length != 3 || attributes[0] != n || attributes[2] != d)
            throw Invalid($"AttributeEmbeddings has shape [{string.Join(", ", attributes)}]; it must be (concepts {n}, classes, width {d})");
        if (Classes.Count != attributes[1]) throw Invalid($"{Classes.Count} attribute classes but {attributes[1]} attribute embeddings per concept");
        if (Weights.GetLength(0) != n || Weights.GetLength(1) != attributes[1])
            throw Invalid($"Weights is {Weights.GetLength(0)} × {Weights.GetLength(1)}; it must be concepts {n} × classes {attributes[1]}");
        if (Weights.Cast<double>().Any(w => !double.IsFinite(w))) throw Invalid("Weights holds a non-finite value");
        if (PreservedEmbeddings.dim() != 2 || PreservedEmbeddings.shape[1] != d)
            throw Invalid($"PreservedEmbeddings has shape [{string.Join(", ", PreservedEmbeddings.shape)}]; it must be (preserved, width {d}), (0, {d}) for none");
        if (Preserved.Count != PreservedEmbeddings.shape[0]) throw Invalid($"{Preserved.Count} preserved prompts but {PreservedEmbeddings.shape[0]} preserved embeddings");
        foreach (var (name, tensor) in new[] { ("ConceptEmbeddings", ConceptEmbeddings), ("AttributeEmbeddings", AttributeEmbeddings), ("PreservedEmbeddings", PreservedEmbeddings) })
        {
            if (!tensor.is_floating_point()) throw Invalid($"{name} is {tensor.dtype}; embeddings must be floating point");
            if (tensor.numel() > 0 && !tensor.isfinite().all().item<bool>()) throw Invalid($"{name} holds a non-finite value");
        }
        if (!(Lambda >= 0 && double.IsFinite(Lambda))) throw Invalid($"lambda is {Lambda}; it must be a finite number ≥ 0 (MIST: {DefaultLambda})");
        if (!(PreserveScale >= 0 && double.IsFinite(PreserveScale))) throw Invalid($"preserve scale is {PreserveScale}; it must be a finite number ≥ 0 (MIST: {DefaultPreserveScale})");
    }

    private static FairscopeException Invalid(string what) => new($"cross-attention edit: {what}");
}
