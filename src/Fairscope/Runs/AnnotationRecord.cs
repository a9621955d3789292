namespace Fairscope;

/// <summary>One annotator's label for one attribute of one sample. Keyed by annotator name and version, so that a
/// new annotator version adds labels beside the old ones and re-annotation never regenerates samples.</summary>
/// <param name="Label">A declared category, <see cref="DemographicAttribute.Unknown"/>, or an annotator-specific label.</param>
/// <param name="Evidence">What the label rests on: matched cues, or a judge's verbatim answer.</param>
public sealed record AnnotationRecord(
    string PromptId,
    int SampleIndex,
    string Annotator,
    string AnnotatorVersion,
    string Attribute,
    string Label,
    string? Evidence);
