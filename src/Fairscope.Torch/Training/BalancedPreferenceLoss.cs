using System.Globalization;
using static TorchSharp.torch;

namespace Fairscope;

/// <summary>
/// Balanced preference optimisation (BPO) of "On Fairness of Unified Multimodal Large Language Model for Image
/// Generation" (arXiv 2502.03429) as an <see cref="IAuxiliaryLoss"/>: it trains a model to prefer no demographic
/// group's completion of a neutral prompt over another's, or, generalising the paper, to prefer them in given target
/// shares. For a <see cref="PreferenceSet"/> with prompt x and group completions y_g:
/// <list type="bullet">
/// <item><c>ℓ_g = (1/|y_g|) Σ_k log π(y_g,k | x, y_g,&lt;k)</c>, the length-normalised log-likelihood, read as a
/// probability <c>p_g = exp(ℓ_g)</c> (the paper's per-token mean);</item>
/// <item><c>Δ_ij = logit(p_i) − logit(p_j) − ln(t_i / t_j)</c> with <c>logit(p) = ln(p / (1 − p))</c>, the paper's
/// log-odds difference;</item>
/// <item><c>loss = β · mean over group pairs and sets of ln(1 + (σ(Δ_ij) − ½)²)</c>, the paper's BPO loss.</item>
/// </list>
/// The offset <c>−ln(t_i / t_j)</c> for target shares t is our generalisation of the paper's uniform target (where it
/// is 0): Δ_ij is 0, and the pair's loss at its minimum, exactly when the model's odds ratio between groups i and j
/// equals the target's, <c>t_i / t_j</c>. Pairs, as in the paper: with two groups the one pair (0, 1); with more the
/// cyclic pairs (0, 1), (1, 2), …, (G − 1, 0) (its race setting). The paper runs BPO at a small learning rate after
/// supervised fine-tuning, optionally alongside the autoregressive loss (weight α) to keep fidelity: pass the
/// fine-tuning examples, weighted α, to <see cref="LanguageModelTrainer.Train"/> with this loss, or none to train on
/// BPO alone.
/// </summary>
public sealed class BalancedPreferenceLoss : IAuxiliaryLoss
{
    // ℓ is capped just below 0 (p ≤ 1 − 10⁻⁹) so that a completion the model is certain of has a finite log-odds (≈ 20.7)
    // instead of +∞, which would make the loss's gradient NaN.
    private const double MaxLogLikelihood = -1e-9;

    // MeanLogLikelihoods scores this many sets per forward pass.
    private const int SetsPerReportPass = 16;

    private readonly GptConfig _model;
    private readonly IReadOnlyList<PreferenceSet> _sets;

    /// <summary>
    /// A BPO loss for models shaped <paramref name="model"/> over <paramref name="sets"/>, each step drawing
    /// <paramref name="setsPerStep"/> of them uniformly with replacement. <paramref name="targetShares"/> gives each group's
    /// target share (positive, summing to 1; default uniform). Throws <see cref="FairscopeException"/> naming the first
    /// bad set or value, including a prompt and completion that together do not fit the model's context.
    /// </summary>
    public BalancedPreferenceLoss(GptConfig model, IReadOnlyList<PreferenceSet> sets, IReadOnlyList<double>? targetShares = null,
        double beta = 1, int setsPerStep = 8)
    {
        ArgumentNullException.ThrowIfNull(model);
        Groups = CheckSets(model, sets);
        TargetShares = targetShares?.ToArray() ?? Enumerable.Repeat(1.0 / Groups, Groups).ToArray();
        CheckShares(TargetShares, Groups);
        if (!(beta > 0) || !double.IsFinite(beta)) throw new FairscopeException($"BPO: β must be a finite number > 0, got {Invariant(beta)}");
        if (setsPerStep < 1) throw new FairscopeException($"BPO: sets per step must be at least 1, got {setsPerStep}");
        (_model, _sets, Beta, SetsPerStep) = (model, sets.ToArray(), beta, setsPerStep);
    }

    /// <inheritdoc/>
    public string Name => "BPO";

    /// <summary>The number of groups: completions per set.</summary>
    public int Groups { get; }

    /// <summary>The target share of each group, in group order.</summary>
    public IReadOnlyList<double> TargetShares { get; }

    /// <summary>The loss's scale β.</summary>
    public double Beta { get; }

    /// <summary>Sets drawn per step.</summary>
    public int SetsPerStep { get; }

    /// <summary>The BPO loss of <see cref="SetsPerStep"/> sets drawn with <paramref name="random"/>, from one padded
    /// forward pass over every (set, group) completion.</summary>
    public Tensor Compute(Gpt model, Random random)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Config != _model) throw new FairscopeException($"BPO: the loss was built for a model shaped {_model}, not {model.Config}");
        var drawn = Enumerable.Range(0, SetsPerStep).Select(_ => _sets[random.Next(_sets.Count)]).ToArray();
        return BalanceLoss(LogLikelihoods(model, drawn, Groups), TargetShares, Beta);
    }

    /// <summary>
    /// BPO's loss (see the class) from length-normalised log-likelihoods <paramref name="logLikelihoods"/>, a
    /// (sets, groups) tensor of values ≤ 0, and each group's target share: a scalar, differentiable in ℓ. Values above
    /// −10⁻⁹ count as −10⁻⁹, so that a completion the model is certain of has finite log-odds.
    /// </summary>
    public static Tensor BalanceLoss(Tensor logLikelihoods, IReadOnlyList<double> targetShares, double beta = 1)
    {
        ArgumentNullException.ThrowIfNull(logLikelihoods);
        int groups = targetShares.Count;
        if (logLikelihoods.dim() != 2 || logLikelihoods.shape[1] != groups)
            throw new ArgumentException($"log-likelihoods must be (sets, groups = {groups}); got [{string.Join(", ", logLikelihoods.shape)}]", nameof(logLikelihoods));
        CheckShares(targetShares, groups);
        var device = logLikelihoods.device;
        int pairs = groups == 2 ? 1 : groups;
        var first = arange(pairs, ScalarType.Int64, device);
        var second = (first + 1) % groups;
        var offsets = tensor(Enumerable.Range(0, pairs).Select(i => Math.Log(targetShares[i] / targetShares[(i + 1) % groups])).ToArray(),
            logLikelihoods.dtype, device); // (pairs): ln(t_i / t_j)
        var capped = logLikelihoods.clamp_max(MaxLogLikelihood);
        var logOdds = capped - (-capped.expm1()).log(); // ln(p / (1 − p)) = ℓ − ln(1 − e^ℓ); expm1 stays exact as ℓ → 0
        var delta = logOdds.index_select(1, first) - logOdds.index_select(1, second) - offsets; // (sets, pairs)
        return beta * (delta.sigmoid() - 0.5).square().log1p().mean();
    }

    /// <summary>
    /// Each group's length-normalised log-likelihood ℓ (see the class), averaged over <paramref name="sets"/>, under
    /// <paramref name="model"/> in evaluation mode without gradients: how balanced the model is on these sets (equal
    /// values for a balanced model under uniform targets). The sets are checked as the constructor checks them.
    /// </summary>
    public static double[] MeanLogLikelihoods(Gpt model, IReadOnlyList<PreferenceSet> sets)
    {
        ArgumentNullException.ThrowIfNull(model);
        int groups = CheckSets(model.Config, sets);
        var sums = new double[groups];
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            foreach (var chunk in sets.Chunk(SetsPerReportPass))
            {
                using var scope = NewDisposeScope();
                var chunkSums = LogLikelihoods(model, chunk, groups).sum(dim: 0).cpu().data<double>().ToArray();
                for (int g = 0; g < groups; g++) sums[g] += chunkSums[g];
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return sums.Select(sum => sum / sets.Count).ToArray();
    }

    // ℓ of every (set, group) completion, (sets, groups) in float64: summed log-probabilities from one padded forward
    // pass (Gpt.SequenceLogProbabilities), divided by the completions' lengths.
    private static Tensor LogLikelihoods(Gpt model, IReadOnlyList<PreferenceSet> sets, int groups)
    {
        var rows = sets.SelectMany(set => set.Completions.Select(c => (set.Prompt, c))).ToList();
        var device = model.parameters().First().device;
        var lengths = tensor(rows.Select(r => (double)r.c.Count).ToArray(), ScalarType.Float64, device);
        return (model.SequenceLogProbabilities(rows) / lengths).view(sets.Count, groups);
    }

    // Returns the number of groups, or throws naming the first set that is malformed or does not fit the model.
    private static int CheckSets(GptConfig model, IReadOnlyList<PreferenceSet> sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        if (sets.Count == 0) throw new FairscopeException("BPO: no preference sets");
        int groups = sets[0]?.Completions?.Count ?? 0;
        if (groups < 2) throw new FairscopeException($"BPO: preference set 0 has {groups} completion(s); at least 2 groups are needed");
        for (int s = 0; s < sets.Count; s++)
        {
            var set = sets[s];
            if (set?.Prompt is null || set.Completions is null) throw new FairscopeException($"BPO: preference set {s} is missing its prompt or completions");
            if (set.Completions.Count != groups)
                throw new FairscopeException($"BPO: preference set {s} has {set.Completions.Count} completions but set 0 has {groups}; every set needs one per group, in the same order");
            if (set.Prompt.Count == 0) throw new FairscopeException($"BPO: preference set {s} has an empty prompt; the first completion token needs a token to condition on");
            CheckTokens(model, set.Prompt, $"preference set {s}'s prompt");
            for (int g = 0; g < groups; g++)
            {
                var completion = set.Completions[g];
                if (completion is null || completion.Count == 0) throw new FairscopeException($"BPO: preference set {s}, group {g}: the completion is empty");
                CheckTokens(model, completion, $"preference set {s}, group {g}'s completion");
                int positions = set.Prompt.Count + completion.Count - 1;
                if (positions > model.ContextLength)
                    throw new FairscopeException($"BPO: preference set {s}, group {g}: the prompt ({set.Prompt.Count} tokens) and completion ({completion.Count}) need {positions} positions; the model's context length is {model.ContextLength}");
            }
        }
        return groups;
    }

    private static void CheckTokens(GptConfig model, IReadOnlyList<int> tokens, string what)
    {
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] < 0 || tokens[i] >= model.VocabSize)
                throw new FairscopeException($"BPO: {what} has token {tokens[i]} (at {i}) outside the vocabulary [0, {model.VocabSize})");
        }
    }

    private static void CheckShares(IReadOnlyList<double> shares, int groups)
    {
        if (shares.Count != groups) throw new FairscopeException($"BPO: {shares.Count} target shares for {groups} groups; give one per group");
        if (shares.Any(share => !(share > 0) || !double.IsFinite(share)) || Math.Abs(shares.Sum() - 1) > 1e-6)
            throw new FairscopeException($"BPO: target shares must be positive and sum to 1, got [{string.Join(", ", shares.Select(Invariant))}]");
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
