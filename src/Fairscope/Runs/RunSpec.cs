namespace Fairscope;

/// <summary>What a run is: the suite, the model and the sampling plan. Rerunning with an equal spec resumes the
/// run; only <see cref="SamplesPerPrompt"/> may change between invocations (more samples extend a run).</summary>
/// <param name="Name">Run name, unique within a store (the output folder's name by default).</param>
/// <param name="SuiteName">The suite's declared name.</param>
/// <param name="SuiteText">The suite's YAML as run, so reports can be re-rendered without the original file.</param>
/// <param name="Provider">Provider kind, e.g. <c>openai</c> or <c>replay</c>.</param>
/// <param name="Model">Model name as the provider knows it (or the replay file).</param>
/// <param name="Endpoint">Base URL for remote providers; never contains credentials.</param>
/// <param name="SamplesPerPrompt">Samples drawn for every prompt.</param>
/// <param name="Seed">Run seed; each sample's seed derives from it, the prompt id and the sample index.</param>
/// <param name="Parameters">Generation parameters (temperature, max tokens, system prompt) as canonical JSON.</param>
public sealed record RunSpec(
    string Name,
    string SuiteName,
    string SuiteText,
    string Provider,
    string Model,
    string? Endpoint,
    int SamplesPerPrompt,
    long Seed,
    string Parameters);
