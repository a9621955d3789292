namespace Fairscope;

/// <summary>How well a <see cref="VqAutoencoder"/> reconstructs a set of images and how it uses its codebook.</summary>
/// <param name="ReconstructionMse">Mean squared error per pixel and channel between the images and their decoded codes.</param>
/// <param name="Perplexity">exp of the entropy of the codes' frequencies: the effective number of codes in use.</param>
/// <param name="CodesUsed">Distinct codes chosen at least once.</param>
/// <param name="Images">Images evaluated.</param>
public sealed record VqEvaluation(double ReconstructionMse, double Perplexity, int CodesUsed, int Images);
