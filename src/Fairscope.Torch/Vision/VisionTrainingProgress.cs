namespace Fairscope;

/// <summary>What <see cref="VqAutoencoder.Train"/> and <see cref="AttributeClassifier.Train"/> report after each step.</summary>
/// <param name="Step">The step just taken, 1-based.</param>
/// <param name="Loss">The step's training loss (before the update).</param>
/// <param name="Perplexity">For the autoencoder, the perplexity of the batch's codes (the effective number of codes
/// in use, up to the codebook size); null for the classifier.</param>
public sealed record VisionTrainingProgress(int Step, double Loss, double? Perplexity = null);
