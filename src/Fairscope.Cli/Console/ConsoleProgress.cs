using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Fairscope.Cli;

/// <summary>
/// Shows stage progress: a live bar with rate and time left on a terminal, plain lines (at most one every two
/// seconds per stage, plus the last) when output is redirected, as in CI logs.
/// </summary>
public static class ConsoleProgress
{
    /// <summary>Runs <paramref name="work"/>, rendering what it reports.</summary>
    public static async Task<T> TrackAsync<T>(Func<IProgress<RunProgress>, Task<T>> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
            return await work(new PlainLines());
        T result = default!;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new CountColumn(), new RateColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var gate = new Lock();
                result = await work(new Reporter(p =>
                {
                    lock (gate) // reports come from many threads
                    {
                        if (!tasks.TryGetValue(p.Stage, out var task)) tasks[p.Stage] = task = context.AddTask(p.Stage, maxValue: p.Total);
                        task.MaxValue = p.Total;
                        task.Value = Math.Max(task.Value, p.Done);
                        task.Description = p.Failed > 0 ? $"{p.Stage} ([red]{p.Failed} failed[/])" : p.Stage;
                    }
                }));
            });
        return result;
    }

    // Runs the callback on the reporting thread (Progress<T> would post it to the thread pool, out of order).
    private sealed class Reporter(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }

    private sealed class PlainLines : IProgress<RunProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Dictionary<string, (TimeSpan Start, TimeSpan Printed)> _stages = [];
        private readonly Lock _lock = new();

        public void Report(RunProgress p)
        {
            lock (_lock)
            {
                var now = _clock.Elapsed;
                if (!_stages.TryGetValue(p.Stage, out var s)) _stages[p.Stage] = s = (now, now - TimeSpan.FromSeconds(10));
                if (p.Done != p.Total && now - s.Printed < TimeSpan.FromSeconds(2)) return;
                _stages[p.Stage] = s with { Printed = now };
                var seconds = Math.Max((now - s.Start).TotalSeconds, 1e-3);
                var rate = p.Done / seconds;
                var eta = rate > 0 ? TimeSpan.FromSeconds((p.Total - p.Done) / rate) : TimeSpan.Zero;
                Console.WriteLine($"{p.Stage} {p.Done}/{p.Total} ({100.0 * p.Done / Math.Max(p.Total, 1):0}%) {rate:0.0}/s eta {eta:hh\\:mm\\:ss}{(p.Failed > 0 ? $" {p.Failed} failed" : "")}");
            }
        }
    }

    private sealed class CountColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Markup($"{task.Value:0}/{task.MaxValue:0}");
    }

    private sealed class RateColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Markup($"[grey]{task.Speed ?? 0:0.0}/s[/]");
    }
}
