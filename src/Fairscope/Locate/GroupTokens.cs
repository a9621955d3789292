namespace Fairscope;

/// <summary>The image-token distribution of the prompt <c>a photo of a {group} {concept}</c> for one group of one attribute.</summary>
public sealed record GroupTokens(string Attribute, string Group, IReadOnlyList<double> Distribution);
