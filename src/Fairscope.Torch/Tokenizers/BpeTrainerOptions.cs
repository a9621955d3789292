namespace Fairscope;

/// <summary>Settings for <see cref="BpeTrainer"/>.</summary>
public sealed record BpeTrainerOptions
{
    /// <summary>The vocabulary size to reach: 256 byte tokens, the learned merges and the special tokens. Training
    /// stops short of it only when no pair occurs at least <see cref="MinFrequency"/> times.</summary>
    public int VocabularySize { get; init; } = 1024;

    /// <summary>Special tokens after <c>&lt;|endoftext|&gt;</c> (which always comes first), such as provenance
    /// markers; they take the ids after the last merge, in this order.</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = [];

    /// <summary>The fewest occurrences a pair needs to be merged.</summary>
    public int MinFrequency { get; init; } = 2;
}
