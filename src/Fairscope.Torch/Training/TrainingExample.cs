namespace Fairscope;

/// <summary>
/// One training sequence for <see cref="LanguageModelTrainer"/>: token ids and, optionally, a loss weight per token.
/// This is the single input format every training-based mitigation maps to: ASD's <c>exp(−Skew)</c> weights one
/// example as a whole (<see cref="Weighted"/>); mask-based mitigation gives its demographic tokens weight 0; token-based
/// mitigation prepends provenance marker tokens (and may weight them 0 so the model never learns to emit them).
/// </summary>
/// <param name="Tokens">Token ids, at least two (the first is only context: a token's loss is that of predicting it).</param>
/// <param name="Weights">Loss weight of each token, the same length as <paramref name="Tokens"/>; null means all 1.
/// <c>Weights[i]</c> weighs the loss of predicting <c>Tokens[i]</c> from the tokens before it, so 0 removes the token
/// from the loss (as a target; it still conditions later tokens) and <c>Weights[0]</c> is never used. Weights must be
/// finite and ≥ 0.</param>
public sealed record TrainingExample(IReadOnlyList<int> Tokens, IReadOnlyList<float>? Weights = null)
{
    /// <summary>An example whose every token has loss weight <paramref name="weight"/> (a per-example weight).</summary>
    public static TrainingExample Weighted(IReadOnlyList<int> tokens, float weight) =>
        new(tokens, Enumerable.Repeat(weight, tokens.Count).ToArray());

    /// <summary>
    /// Per-token loss weights for tokens with character spans <paramref name="tokenOffsets"/> (from
    /// <see cref="TextTokenizer.EncodeWithOffsets"/>): a token sharing a character with one of <paramref name="spans"/>
    /// takes its weight (the smallest, when it shares with several), any other token 1. Mask-based mitigation weighs
    /// demographic words 0; token-level anti-stereotype loss rescaling weighs them <c>exp(−Skew)</c> ("Social
    /// Debiasing for Fair Multi-modal LLMs", arXiv 2408.06569). A span needs Start ≥ 0, Length ≥ 1 and a finite
    /// weight ≥ 0.
    /// </summary>
    public static float[] WeightsForSpans(IReadOnlyList<(int Start, int Length)> tokenOffsets,
        IReadOnlyList<(int Start, int Length, float Weight)> spans)
    {
        ArgumentNullException.ThrowIfNull(tokenOffsets);
        ArgumentNullException.ThrowIfNull(spans);
        foreach (var (start, length, weight) in spans)
        {
            if (start < 0 || length < 1 || !(weight >= 0) || float.IsInfinity(weight))
                throw new FairscopeException($"weighted span (start {start}, length {length}, weight {weight}) needs start ≥ 0, length ≥ 1 and a finite weight ≥ 0");
        }
        var weights = new float[tokenOffsets.Count];
        for (int i = 0; i < weights.Length; i++)
        {
            var (start, length) = tokenOffsets[i];
            weights[i] = spans.Where(span => span.Start < start + length && start < span.Start + span.Length)
                .Select(span => span.Weight).DefaultIfEmpty(1f).Min();
        }
        return weights;
    }

    /// <summary>The loss weight of token <paramref name="index"/>.</summary>
    public float WeightAt(int index) => Weights?[index] ?? 1f;

    /// <summary>Throws <see cref="FairscopeException"/>, naming example <paramref name="index"/>, when the example has
    /// fewer than two tokens, a token outside [0, <paramref name="vocabularySize"/>), or a bad weight.</summary>
    internal void Validate(int index, int vocabularySize)
    {
        if (Tokens is null) throw new FairscopeException($"training example {index} has no tokens");
        if (Tokens.Count < 2) throw new FairscopeException($"training example {index} has {Tokens.Count} token(s); at least 2 are needed (a token to condition on and one to predict)");
        for (int i = 0; i < Tokens.Count; i++)
        {
            if (Tokens[i] < 0 || Tokens[i] >= vocabularySize)
                throw new FairscopeException($"training example {index}: token {Tokens[i]} (at {i}) is outside the vocabulary [0, {vocabularySize})");
        }
        if (Weights is null) return;
        if (Weights.Count != Tokens.Count)
            throw new FairscopeException($"training example {index} has {Tokens.Count} tokens but {Weights.Count} weights");
        for (int i = 0; i < Weights.Count; i++)
        {
            if (!(Weights[i] >= 0) || float.IsInfinity(Weights[i]))
                throw new FairscopeException($"training example {index}: weight {Weights[i]} (at {i}) must be finite and ≥ 0");
        }
    }
}
