namespace Fairscope;

/// <summary>The outcome of <see cref="AttributeClassifier.Train"/>.</summary>
/// <param name="Losses">The training loss (the sum over heads of each head's mean cross-entropy on its labelled rows) of each step.</param>
/// <param name="WallTime">Time spent training.</param>
public sealed record AttributeTrainingResult(IReadOnlyList<double> Losses, TimeSpan WallTime)
{
    /// <summary>The mean loss over the last ten steps (or all, when fewer), which smooths batch noise.</summary>
    public double FinalLoss => Losses.Skip(Math.Max(0, Losses.Count - 10)).DefaultIfEmpty(double.NaN).Average();
}
