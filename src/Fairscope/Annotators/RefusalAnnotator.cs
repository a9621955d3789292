namespace Fairscope;

/// <summary>
/// Marks outputs where the model declined the request ("I can't help with that", "As an AI language model"),
/// from the built-in refusal lexicon. Labels are <see cref="Refused"/> or <see cref="Answered"/>; refusal rates
/// feed counterfactual gaps (LangFair's refusal-rate comparison).
/// </summary>
public sealed class RefusalAnnotator : IAnnotator
{
    /// <summary>The attribute key under which refusals are stored.</summary>
    public const string Attribute = "refusal";

    /// <summary>Label of a refusal.</summary>
    public const string Refused = "refused";

    /// <summary>Label of an output that is not a refusal.</summary>
    public const string Answered = "answered";

    private readonly Lexicon _lexicon = Lexicon.BuiltIn("refusal");

    /// <inheritdoc />
    public string Name => "lexicon-refusal";

    /// <inheritdoc />
    public string Version => $"2.{_lexicon.Version}";

    /// <inheritdoc />
    public IReadOnlyList<string> Attributes { get; } = [Attribute];

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Annotation>> AnnotateAsync(AnnotationInput input, CancellationToken cancellationToken)
    {
        // An empty answer (e.g. blocked by a content filter) is a refusal too.
        var cue = string.IsNullOrWhiteSpace(input.Output) ? "(empty output)" : _lexicon.Find(input.Output).Select(c => c.Cue).FirstOrDefault();
        return ValueTask.FromResult<IReadOnlyList<Annotation>>([new Annotation(Attribute, cue is null ? Answered : Refused, cue)]);
    }
}
