namespace Fairscope;

/// <summary>
/// A prompt suite: what to ask a model and which demographic attributes to measure in the answers.
/// Loaded from YAML by <see cref="SuiteLoader"/>; see docs/suites.md for the file format.
/// </summary>
public sealed class Suite
{
    /// <summary>Short name, e.g. <c>occupations</c>.</summary>
    public required string Name { get; init; }

    /// <summary>One-line description shown by <c>fairscope suites</c>.</summary>
    public required string Description { get; init; }

    /// <summary>Author-maintained version of the suite's content.</summary>
    public required int Version { get; init; }

    /// <summary><see cref="Text"/> (the default) or <see cref="Image"/>: what the prompts ask a model to make.</summary>
    public string Modality { get; init; } = Text;

    /// <summary>Prompts for text models.</summary>
    public const string Text = "text";

    /// <summary>Prompts for image generators and unified multimodal models; samples are images.</summary>
    public const string Image = "image";

    /// <summary>Measured attributes, plain ones first, then intersections.</summary>
    public required IReadOnlyList<DemographicAttribute> Attributes { get; init; }

    /// <summary>Expanded prompts in file order; ids are unique.</summary>
    public required IReadOnlyList<SuitePrompt> Prompts { get; init; }

    /// <summary>The slot whose values form counterfactual sets, or null.</summary>
    public string? CounterfactualSlot { get; init; }

    /// <summary>The YAML the suite was loaded from, kept with a run so its report can be re-rendered.</summary>
    public required string SourceText { get; init; }

    /// <summary>Where the suite came from: a path or <c>builtin:NAME</c>.</summary>
    public required string Origin { get; init; }

    /// <summary>The plain (non-intersectional) attribute called <paramref name="name"/>, or null.</summary>
    public DemographicAttribute? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);
}
