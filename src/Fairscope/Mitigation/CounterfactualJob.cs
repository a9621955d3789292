namespace Fairscope;

/// <summary>What <see cref="CounterfactualDataset.Run"/> does: the input and output files (JSONL, CSV or Parquet,
/// the same format), the text fields to rewrite and the augmenter that rewrites them.</summary>
public sealed record CounterfactualJob(string Input, string Output, IReadOnlyList<string> Fields, CounterfactualAugmenter Augmenter)
{
    /// <summary>Field holding each row's id for the provenance column; null uses the 1-based row number.</summary>
    public string? IdField { get; init; }

    /// <summary>Seed of every random draw (names, ages, sampled variants): row i draws from a sequence of (seed, i).</summary>
    public int Seed { get; init; }

    /// <summary>Stop at the first malformed row instead of skipping and counting it.</summary>
    public bool Strict { get; init; }

    /// <summary>Write only the variants, not the source rows.</summary>
    public bool VariantsOnly { get; init; }

    /// <summary>When set, each written row gets a <c>cf_weight</c> column, its anti-stereotype weight.</summary>
    public StereotypeReference? AntiStereotype { get; init; }

    /// <summary>Field naming each row's context (e.g. occupation) for <see cref="AntiStereotype"/>.</summary>
    public string? ContextField { get; init; }

    /// <summary>Identity of everything else that shapes the output (lexicons, order, …): a resumed run must match it.</summary>
    public string Options { get; init; } = "";

    /// <summary>Input rows between resume checkpoints (JSONL and CSV; Parquet runs do not resume).</summary>
    public int CheckpointEvery { get; init; } = 10_000;
}
