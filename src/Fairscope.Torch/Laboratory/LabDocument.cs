namespace Fairscope;

/// <summary>One training or evaluation document of the laboratory.</summary>
/// <param name="Text">The text as a model sees it (a story, or a labelled biography).</param>
/// <param name="Kind"><see cref="Story"/> or <see cref="Biography"/>.</param>
/// <param name="Occupation">The occupation it is about (for a biography, its label).</param>
/// <param name="Augmented">True when the teacher wrote it (LLM-based augmentation); false for the original data.</param>
public sealed record LabDocument(string Text, string Kind, WorldOccupation Occupation, bool Augmented)
{
    /// <summary>A story naming the occupation.</summary>
    public const string Story = "story";

    /// <summary>A biography followed by its label.</summary>
    public const string Biography = "biography";
}
