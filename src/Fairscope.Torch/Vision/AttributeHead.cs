namespace Fairscope;

/// <summary>One attribute an <see cref="AttributeClassifier"/> predicts (such as <c>gender</c>) and its classes, in
/// label order: label i means <c>Classes[i]</c>.</summary>
public sealed record AttributeHead(string Name, IReadOnlyList<string> Classes);
