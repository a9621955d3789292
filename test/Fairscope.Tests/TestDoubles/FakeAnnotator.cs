namespace Fairscope.Tests;

/// <summary>
/// Hand-written <see cref="IAnnotator"/> for analysis tests: name, version and attributes are settable, and
/// labels come from <see cref="Labeler"/> (every attribute unknown when none is given). The analyzer only reads
/// name, version and attributes; labels reach it through <see cref="AnnotationRecord"/>s built by the test.
/// </summary>
public sealed class FakeAnnotator : IAnnotator
{
    public string Name { get; set; } = "fake";

    public string Version { get; set; } = "1";

    public IReadOnlyList<string> Attributes { get; set; } = [];

    /// <summary>Labels one input; null means "unknown for every attribute".</summary>
    public Func<AnnotationInput, IReadOnlyList<Annotation>>? Labeler { get; set; }

    /// <summary>How many times <see cref="AnnotateAsync"/> ran.</summary>
    public int Calls { get; private set; }

    public ValueTask<IReadOnlyList<Annotation>> AnnotateAsync(AnnotationInput input, CancellationToken cancellationToken)
    {
        Calls++;
        IReadOnlyList<Annotation> result = Labeler is null
            ? Attributes.Select(a => new Annotation(a, DemographicAttribute.Unknown, null)).ToList()
            : Labeler(input);
        return ValueTask.FromResult(result);
    }
}
