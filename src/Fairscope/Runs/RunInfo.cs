namespace Fairscope;

/// <summary>A stored run with its progress counters.</summary>
public sealed record RunInfo(long Id, RunSpec Spec, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    int OkSamples, int FailedSamples)
{
    /// <summary>Generation is under way or was killed before it could record an end.</summary>
    public const string Running = "running";
    /// <summary>Every planned sample was attempted; some may have failed.</summary>
    public const string Completed = "completed";
    /// <summary>Stopped by the user (Ctrl-C); rerun the command to resume.</summary>
    public const string Interrupted = "interrupted";
}
