namespace Fairscope;

/// <summary>The outcome of <see cref="VqAutoencoder.Train"/>.</summary>
/// <param name="Losses">The training loss (reconstruction + β·commitment) of each step, in order.</param>
/// <param name="Restarts">Codebook entries restarted from batch encodings because they had fallen out of use
/// (the first step restarts every entry: that is the codebook's initialisation).</param>
/// <param name="Evaluation">Reconstruction and codebook usage on the training images after the last step.</param>
/// <param name="WallTime">Time spent training, the final evaluation included.</param>
public sealed record VqTrainingResult(IReadOnlyList<double> Losses, long Restarts, VqEvaluation Evaluation, TimeSpan WallTime);
