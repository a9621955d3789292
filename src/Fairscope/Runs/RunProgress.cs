namespace Fairscope;

/// <summary>A stage's progress: items done (failed included) out of the total it has to do now.</summary>
public sealed record RunProgress(string Stage, int Done, int Total, int Failed);
