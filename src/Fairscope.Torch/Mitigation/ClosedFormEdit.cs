using static TorchSharp.torch;

namespace Fairscope;

/// <summary>
/// The closed-form edit of a projection W (out × d) that reads text embeddings, in float64. UCE (Gandikota et al.,
/// "Unified Concept Editing in Diffusion Models", WACV 2024) minimises Σ_i ‖W' c_i − v*_i‖² + s_p Σ_r ‖W' c_r − W c_r‖²
/// + λ‖W' − W‖²_F, whose solution is
/// <code>W' = (λW + Σ_i v*_i c_iᵀ + s_p Σ_r W c_r c_rᵀ) (λI + Σ_i c_i c_iᵀ + s_p Σ_r c_r c_rᵀ)⁻¹</code>
/// with edited concepts c_i, their targets v*_i and preserved concepts c_r. MIST (arXiv 2403.19738) sets the targets
/// <code>v*_i = W c_i + Σ_j w_ij ‖W c_i‖ · W a_ij / ‖W a_ij‖</code>
/// with a_ij the embedding of concept i with attribute class j and w_ij the class weights. The matrix on the right,
/// A, depends only on the embeddings, so it is built, checked and Cholesky-factored once per edit and reused for every
/// layer; W' is found by solving A W'ᵀ = Bᵀ (A is symmetric), never by forming A⁻¹.
/// </summary>
public sealed class ClosedFormEdit : IDisposable
{
    /// <summary>The smallest reciprocal condition number (smallest over largest eigenvalue of A) accepted; below it
    /// the solution would amplify rounding by more than 10¹² and the system counts as singular.</summary>
    public const double MinReciprocalCondition = 1e-12;

    private readonly Tensor _concepts, _attributes, _classWeights, _preserved, _factor;
    private readonly double _lambda, _preserveScale;

    /// <summary>Validates <paramref name="spec"/> and factors A = λI + Σ_i c_i c_iᵀ + s_p Σ_r c_r c_rᵀ. Throws
    /// <see cref="FairscopeException"/> when A is singular or ill-conditioned (λ = 0 with fewer independent concepts
    /// than the embedding width), suggesting a larger λ.</summary>
    public ClosedFormEdit(CrossAttentionEditSpec spec)
    {
        spec.Validate();
        _lambda = spec.Lambda;
        _preserveScale = spec.PreserveScale;
        TextWidth = spec.TextWidth;
        using var scope = NewDisposeScope();
        var concepts = spec.ConceptEmbeddings.to(ScalarType.Float64, CPU);
        var preserved = spec.PreservedEmbeddings.to(ScalarType.Float64, CPU);
        var system = eye(TextWidth, dtype: ScalarType.Float64).mul_(_lambda)
            .add_(concepts.t().matmul(concepts))
            .add_(preserved.t().matmul(preserved), alpha: _preserveScale);
        var eigenvalues = linalg.eigvalsh(system);
        double smallest = eigenvalues.min().item<double>(), largest = eigenvalues.max().item<double>();
        if (!(smallest > largest * MinReciprocalCondition))
            throw new FairscopeException($"cross-attention edit: the system λI + Σ c cᵀ + s_p Σ c_r c_rᵀ ({TextWidth} × {TextWidth}) is singular or ill-conditioned (eigenvalues {smallest:g3} to {largest:g3}) with λ = {_lambda}, {concepts.shape[0]} edited and {preserved.shape[0]} preserved concepts: use a larger --lambda (MIST: {CrossAttentionEditSpec.DefaultLambda})");
        _factor = linalg.cholesky(system).DetachFromDisposeScope();
        _concepts = concepts.DetachFromDisposeScope();
        _preserved = preserved.DetachFromDisposeScope();
        _attributes = spec.AttributeEmbeddings.to(ScalarType.Float64, CPU).DetachFromDisposeScope();
        _classWeights = tensor(spec.Weights, ScalarType.Float64).DetachFromDisposeScope();
    }

    /// <summary>d, the embedding width the edited weights must take.</summary>
    public int TextWidth { get; }

    /// <summary>MIST's targets for <paramref name="weight"/> (out × d): row i is
    /// v*_i = W c_i + Σ_j w_ij ‖W c_i‖ · W a_ij / ‖W a_ij‖, an (n × out) float64 tensor.</summary>
    public Tensor Targets(Tensor weight)
    {
        using var scope = NewDisposeScope();
        var w = AsWeight(weight);
        var outputs = _concepts.matmul(w.t()); // (n, out): W c_i
        var directions = nn.functional.normalize(_attributes.matmul(w.t()), p: 2, dim: -1); // (n, K, out): W a_ij / ‖W a_ij‖
        var shift = _classWeights.unsqueeze(-1).mul(directions).sum(1); // (n, out): Σ_j w_ij W a_ij / ‖W a_ij‖
        return outputs.add(shift.mul(outputs.norm(1, keepdim: true))).MoveToOuterDisposeScope();
    }

    /// <summary>UCE's closed form W' for <paramref name="weight"/> (out × d) and <paramref name="targets"/> (n × out,
    /// row i = v*_i), an (out × d) float64 tensor. Throws <see cref="FairscopeException"/> when the result is not finite.</summary>
    public Tensor Apply(Tensor weight, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var w = AsWeight(weight);
        var v = targets.to(ScalarType.Float64, CPU);
        if (v.dim() != 2 || v.shape[0] != _concepts.shape[0] || v.shape[1] != w.shape[0])
            throw new ArgumentException($"targets are [{string.Join(", ", v.shape)}]; expected [{_concepts.shape[0]}, {w.shape[0]}]", nameof(targets));
        // B = λW + Σ_i v*_i c_iᵀ + s_p Σ_r (W c_r) c_rᵀ
        var right = w.mul(_lambda).add_(v.t().matmul(_concepts)).add_(w.matmul(_preserved.t()).matmul(_preserved), alpha: _preserveScale);
        var edited = cholesky_solve(right.t(), _factor).t().contiguous(); // W' = B A⁻¹, as (A⁻¹ Bᵀ)ᵀ
        if (!edited.isfinite().all().item<bool>())
            throw new FairscopeException($"cross-attention edit: the closed form gave non-finite weights with λ = {_lambda}: use a larger --lambda (MIST: {CrossAttentionEditSpec.DefaultLambda}) or smaller class weights");
        return edited.MoveToOuterDisposeScope();
    }

    /// <summary>The MIST edit of <paramref name="weight"/>: <see cref="Apply"/> with <see cref="Targets"/>.</summary>
    public Tensor Edit(Tensor weight)
    {
        using var targets = Targets(weight);
        return Apply(weight, targets);
    }

    private Tensor AsWeight(Tensor weight)
    {
        if (weight.dim() != 2 || weight.shape[1] != TextWidth)
            throw new ArgumentException($"weight is [{string.Join(", ", weight.shape)}]; expected (out features, {TextWidth})", nameof(weight));
        return weight.to(ScalarType.Float64, CPU);
    }

    public void Dispose()
    {
        foreach (var t in new[] { _concepts, _attributes, _classWeights, _preserved, _factor }) t.Dispose();
    }
}
