namespace Fairscope;

/// <summary>
/// The closed-form cross-attention edit's options and MIST's iterative search for class weights (arXiv 2403.19738):
/// generate <see cref="ImagesPerConcept"/> images per concept, estimate each class's share with the annotator, add
/// <c>StepSize · (target − share)</c> to the class's weight, re-edit the original weights, and stop when every share is
/// within <see cref="Tolerance"/> of its target or after <see cref="Iterations"/> rounds.
/// </summary>
/// <param name="Lambda">λ of the closed form (MIST and UCE: 0.5).</param>
/// <param name="PreserveScale">s_p, the weight of preserved concepts (MIST: 0.2; UCE: 0.1).</param>
/// <param name="Iterations">Most rounds of generate → annotate → update → re-edit (MIST: 150).</param>
/// <param name="ImagesPerConcept">Images per concept and round (MIST: 5 seeds × 20).</param>
/// <param name="Tolerance">Stop when max over classes of |share − target| is below this (MIST: 0.05).</param>
/// <param name="StepSize">η of the weight update w ← w + η (target − share) (MIST: 0.1).</param>
public sealed record MistOptions(double Lambda = 0.5, double PreserveScale = 0.2, int Iterations = 150, int ImagesPerConcept = 100, double Tolerance = 0.05,
    double StepSize = 0.1)
{
    /// <summary>The <c>fairscope demo diffusion</c> budget: a few rounds of a few dozen images per occupation.</summary>
    public static MistOptions Demo { get; } = new(Iterations: 6, ImagesPerConcept: 24, StepSize: 1);

    /// <summary>Throws <see cref="FairscopeException"/> naming the first invalid value.</summary>
    public MistOptions Validate()
    {
        if (!(Lambda >= 0 && double.IsFinite(Lambda))) throw new FairscopeException($"λ must be a finite number ≥ 0, not {Lambda}");
        if (!(PreserveScale >= 0 && double.IsFinite(PreserveScale))) throw new FairscopeException($"the preserve scale must be a finite number ≥ 0, not {PreserveScale}");
        if (Iterations < 1 || ImagesPerConcept < 2) throw new FairscopeException($"the weight search needs at least 1 iteration and 2 images per concept ({Iterations}, {ImagesPerConcept})");
        if (!(Tolerance > 0 && Tolerance < 1)) throw new FairscopeException($"the tolerance must be in (0, 1), not {Tolerance}");
        if (!(StepSize > 0 && double.IsFinite(StepSize))) throw new FairscopeException($"the step size must be a positive number, not {StepSize}");
        return this;
    }
}
