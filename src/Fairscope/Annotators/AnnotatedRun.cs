namespace Fairscope;

/// <summary>A run's samples and labels after <see cref="AnnotationStage"/>: <paramref name="Labelled"/> (sample, annotator)
/// pairs were labelled this time.</summary>
public sealed record AnnotatedRun(IReadOnlyList<SampleRecord> Samples, IReadOnlyList<AnnotationRecord> Annotations, int Labelled);
