using System.Diagnostics;
using Fairscope.Testing;

namespace Fairscope.Tests;

[Collection(CliCollection.Name)]
public sealed class ResumeAndFaultTests
{
    private const string Suite = """
        name: resumable
        attributes:
          gender:
            categories: [female, male]
        templates:
          - id: t
            text: "Describe {a:occupation}."
        slots:
          occupation: [nurse, engineer, pilot]
        """;
    private const int Samples = 20;
    private const int Planned = 3 * Samples;

    [Fact]
    public async Task CancelledRunResumesWithEverySampleOnce()
    {
        using var temp = new TempFolder();
        var suite = temp.File("s.yaml", Suite);
        await using var server = await FakeOpenAIServer.StartAsync(r => new FakeReply.Text($"She works ({r.Seed})."), TimeSpan.FromMilliseconds(20));
        var output = temp.Sub("run");
        string[] args = ["audit", "--suite", suite, "--base-url", server.BaseUrl, "--model", "fake", "--samples", $"{Samples}", "--out", output, "--concurrency", "2"];

        using var cancel = new CancellationTokenSource();
        var first = CliHarness.RunAsync(cancel.Token, args);
        while (server.Received.Count < 15) await Task.Delay(5);
        await cancel.CancelAsync();
        var (interrupted, _) = await first;
        Assert.Equal(130, interrupted);
        var partial = CliHarness.StoredSamples(output);
        Assert.InRange(partial.Count, 10, Planned - 1);

        var (exit, errors) = await CliHarness.RunAsync(args);

        Assert.True(exit == 0, errors);
        AssertEverySampleOnce(output);
        // Only requests cut off by the cancel were repeated.
        Assert.InRange(server.Received.Count, Planned, Planned + 2);
    }

    [Fact]
    public async Task KilledProcessResumesWithoutLosingOrDuplicatingSamples()
    {
        using var temp = new TempFolder();
        var suite = temp.File("s.yaml", Suite);
        await using var server = await FakeOpenAIServer.StartAsync(r => new FakeReply.Text($"He works ({r.Seed})."), TimeSpan.FromMilliseconds(25));
        var output = temp.Sub("run");
        string[] args = ["audit", "--suite", suite, "--base-url", server.BaseUrl, "--model", "fake", "--samples", $"{Samples}", "--out", output, "--concurrency", "4"];

        var cli = Path.Combine(AppContext.BaseDirectory, "Fairscope.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[cli, .. args]) start.ArgumentList.Add(a);
        using (var process = Process.Start(start)!)
        {
            var deadline = Stopwatch.StartNew();
            while (server.Received.Count < 25 && deadline.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited) await Task.Delay(5);
            Assert.False(process.HasExited, "the audit finished before it could be killed: " + await process.StandardError.ReadToEndAsync());
            process.Kill(); // SIGKILL: no cleanup runs
            await process.WaitForExitAsync();
        }
        var beforeResume = CliHarness.StoredSamples(output);
        Assert.True(beforeResume.Count > 0, "nothing was committed before the kill");
        var requestsBefore = server.Received.Count;

        var (exit, errors) = await CliHarness.RunAsync(args);

        Assert.True(exit == 0, errors);
        AssertEverySampleOnce(output);
        // Samples committed before the kill were not requested again: the resume asked only for the rest.
        Assert.Equal(Planned - beforeResume.Count, server.Received.Count - requestsBefore);
    }

    [Fact]
    public async Task RetriesThrough429s500sAndDroppedConnections()
    {
        using var temp = new TempFolder();
        var suite = temp.File("s.yaml", Suite);
        await using var server = await FakeOpenAIServer.StartAsync(r => (r.Number % 7, r.Number % 5, r.Number % 11) switch
        {
            (0, _, _) => new FakeReply.Status(429, RetryAfterSeconds: 0),
            (_, 0, _) => new FakeReply.Status(500),
            (_, _, 0) => new FakeReply.Drop(),
            _ => new FakeReply.Text("She works."),
        });
        var output = temp.Sub("run");

        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", suite, "--base-url", server.BaseUrl, "--model", "fake",
            "--samples", $"{Samples}", "--out", output, "--concurrency", "8");

        Assert.True(exit == 0, errors);
        AssertEverySampleOnce(output);
        Assert.True(server.Received.Count > Planned, "the script should have forced retries");
    }

    private static void AssertEverySampleOnce(string output)
    {
        var stored = CliHarness.StoredSamples(output);
        Assert.Equal(Planned, stored.Count);
        Assert.All(stored, s => Assert.True(s.Ok));
        Assert.Equal(Planned, stored.Select(s => (s.PromptId, s.Index)).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, Samples), stored.Where(s => s.PromptId == "t/pilot").Select(s => s.Index).Order());
    }
}
