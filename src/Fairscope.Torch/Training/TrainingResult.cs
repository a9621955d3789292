namespace Fairscope;

/// <summary>The outcome of <see cref="LanguageModelTrainer.Train"/>.</summary>
/// <param name="Losses">The autoregressive training loss of each step, in order (0 for steps on an auxiliary loss alone).</param>
/// <param name="AuxiliaryLosses">The auxiliary loss (<see cref="IAuxiliaryLoss"/>) of each step, in order; empty without one.</param>
/// <param name="Evaluations">Held-out evaluations, in step order (empty without held-out examples).</param>
/// <param name="WallTime">Time spent training, evaluations included.</param>
/// <param name="Tokens">Target tokens trained on (padding not counted).</param>
public sealed record TrainingResult(IReadOnlyList<double> Losses, IReadOnlyList<double> AuxiliaryLosses, IReadOnlyList<LanguageModelEvaluation> Evaluations, TimeSpan WallTime, long Tokens)
{
    /// <summary>The final training loss: the mean over the last ten steps (or all, when fewer), which smooths batch noise.</summary>
    public double FinalLoss => Losses.Skip(Math.Max(0, Losses.Count - 10)).DefaultIfEmpty(double.NaN).Average();

    /// <summary>Target tokens trained on per second of <see cref="WallTime"/>.</summary>
    public double TokensPerSecond => WallTime > TimeSpan.Zero ? Tokens / WallTime.TotalSeconds : 0;

    /// <summary>The last held-out evaluation, if any.</summary>
    public LanguageModelEvaluation? FinalEvaluation => Evaluations.Count > 0 ? Evaluations[^1] : null;
}
