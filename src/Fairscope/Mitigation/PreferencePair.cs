namespace Fairscope;

/// <summary>A sample offered for preference pairs: its output, whether it is a refusal, and its perceived group per
/// attribute (<see cref="DemographicAttribute.Unknown"/> where no annotator could tell).</summary>
public sealed record PreferenceCandidate(int SampleIndex, string Output, bool Refused, IReadOnlyDictionary<string, string> Groups);

/// <summary>One audited prompt with its candidate samples.</summary>
public sealed record PreferencePrompt(string Id, string Text, IReadOnlyList<PreferenceCandidate> Candidates);

/// <summary>One answer of a pair: the sample it came from and its perceived group.</summary>
public sealed record PreferenceAnswer(int SampleIndex, string Output, string Group);

/// <summary>A preference pair for one attribute: <see cref="Chosen"/> is of a group the prompt under-represents
/// relative to the attribute's target, <see cref="Rejected"/> of one it over-represents.</summary>
public sealed record PreferencePair(string PromptId, string Prompt, string Attribute, PreferenceAnswer Chosen, PreferenceAnswer Rejected);
