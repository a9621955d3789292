namespace Fairscope;

/// <summary>
/// Where runs, samples and annotations live. Small on purpose: SQLite is the embedded default and other
/// stores (PostgreSQL) implement the same contract. Writes are idempotent by key, so a retried or resumed
/// write never duplicates a sample.
/// </summary>
public interface IRunStore : IAsyncDisposable
{
    /// <summary>Creates the run, or returns the stored one when its spec matches (resume). Throws
    /// <see cref="FairscopeException"/> when a different run of that name exists.</summary>
    Task<RunInfo> OpenRunAsync(RunSpec spec, CancellationToken cancellationToken = default);

    /// <summary>The run called <paramref name="name"/>, or null.</summary>
    Task<RunInfo?> FindRunAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>All runs in the store, newest first.</summary>
    Task<IReadOnlyList<RunInfo>> ListRunsAsync(CancellationToken cancellationToken = default);

    /// <summary>Records the run's status (see <see cref="RunInfo"/>).</summary>
    Task SetStatusAsync(long runId, string status, CancellationToken cancellationToken = default);

    /// <summary>Keys (prompt id, sample index) of samples that succeeded.</summary>
    Task<IReadOnlySet<(string PromptId, int SampleIndex)>> GetSucceededKeysAsync(long runId, CancellationToken cancellationToken = default);

    /// <summary>Stores samples in one transaction. A sample that already succeeded is kept as it is.</summary>
    Task WriteSamplesAsync(long runId, IReadOnlyList<SampleRecord> samples, CancellationToken cancellationToken = default);

    /// <summary>Stores annotations in one transaction; an existing label for the same key is replaced.</summary>
    Task WriteAnnotationsAsync(long runId, IReadOnlyList<AnnotationRecord> annotations, CancellationToken cancellationToken = default);

    /// <summary>All samples of a run, ordered by prompt id and sample index.</summary>
    IAsyncEnumerable<SampleRecord> ReadSamplesAsync(long runId, CancellationToken cancellationToken = default);

    /// <summary>All annotations of a run.</summary>
    IAsyncEnumerable<AnnotationRecord> ReadAnnotationsAsync(long runId, CancellationToken cancellationToken = default);
}
