namespace Fairscope;

/// <summary>A language model's loss on held-out examples (<see cref="LanguageModelTrainer.Evaluate"/>).</summary>
/// <param name="Step">The training step after which it was measured (0 when measured outside training).</param>
/// <param name="Loss">Mean cross-entropy per target token (nats), weighted by the examples' token weights.</param>
/// <param name="Tokens">Target tokens scored (those with weight 0 not counted).</param>
public sealed record LanguageModelEvaluation(int Step, double Loss, long Tokens)
{
    /// <summary><c>exp(Loss)</c>: the effective number of equally likely next tokens (the vocabulary size for a uniform model).</summary>
    public double Perplexity => Math.Exp(Loss);
}
