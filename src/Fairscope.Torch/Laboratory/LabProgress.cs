namespace Fairscope;

/// <summary>
/// The laboratory's progress as a few cumulative stages (training steps, audit samples, classified biographies), so
/// one bar per stage covers the whole job and its time estimate holds: every model that needs training adds its steps
/// to the plan before any training starts. Thread-safe.
/// </summary>
public sealed class LabProgress(IProgress<RunProgress>? inner)
{
    /// <summary>Training steps of every model trained (cached ones are not).</summary>
    public const string Train = "train models (steps)";

    /// <summary>Occupations whose image-token distributions the multimodal laboratory's locate test has measured.</summary>
    public const string Locate = "locate bias (occupations)";

    /// <summary>Rounds of the diffusion laboratory's search for edit weights (generate, annotate, update, re-edit).</summary>
    public const string Edit = "search edit weights (rounds)";

    /// <summary>Continuations sampled to audit the models.</summary>
    public const string Sample = "audit generations (samples)";

    private readonly Dictionary<string, (int Done, int Total)> _stages = [];
    private readonly Lock _gate = new();

    /// <summary>Adds <paramref name="total"/> items of work to <paramref name="stage"/>.</summary>
    public void Plan(string stage, int total) => Update(stage, 0, total);

    /// <summary>Marks <paramref name="count"/> items of <paramref name="stage"/> done.</summary>
    public void Advance(string stage, int count = 1) => Update(stage, count, 0);

    /// <summary>Forwards a run engine's cumulative per-run counts as increments of <see cref="Sample"/>.</summary>
    public IProgress<RunProgress> Sampling()
    {
        int last = 0;
        return new Forward(p =>
        {
            if (p.Stage != "generate") return;
            int delta;
            lock (_gate)
            {
                delta = Math.Max(0, p.Done - last);
                last = Math.Max(last, p.Done);
            }
            Advance(Sample, delta);
        });
    }

    private void Update(string stage, int done, int total)
    {
        RunProgress report;
        lock (_gate)
        {
            var (d, t) = _stages.GetValueOrDefault(stage);
            _stages[stage] = (d + done, t + total);
            report = new RunProgress(stage, d + done, Math.Max(t + total, d + done), 0);
        }
        inner?.Report(report);
    }

    private sealed class Forward(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}
