namespace Fairscope;

/// <summary>
/// Labels perceived demographic attributes of one sample. Implementations are stateless per call and safe
/// to use from several threads. A label is a declared category or <see cref="DemographicAttribute.Unknown"/>
/// (no cue, or cues that disagree); annotators never guess.
/// </summary>
public interface IAnnotator
{
    /// <summary>Stable name stored with every label, e.g. <c>lexicon-gender</c>.</summary>
    string Name { get; }

    /// <summary>Changes whenever the annotator would label the same text differently; a new version re-annotates.</summary>
    string Version { get; }

    /// <summary>The attributes this annotator labels.</summary>
    IReadOnlyList<string> Attributes { get; }

    /// <summary>One label per attribute in <see cref="Attributes"/>.</summary>
    ValueTask<IReadOnlyList<Annotation>> AnnotateAsync(AnnotationInput input, CancellationToken cancellationToken);
}

/// <summary>What an annotator sees: the prompt and the model's output.</summary>
public sealed record AnnotationInput(SuitePrompt Prompt, string Output);

/// <summary>A label with the evidence it rests on (matched cues, or a judge's verbatim answer).</summary>
public sealed record Annotation(string Attribute, string Label, string? Evidence);
