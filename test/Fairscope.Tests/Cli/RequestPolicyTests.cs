using System.Diagnostics;
using Fairscope.Testing;

namespace Fairscope.Tests;

/// <summary>How requests are made: Retry-After, timeouts, and where the API key may (not) go.</summary>
[Collection(CliCollection.Name)]
public sealed class RequestPolicyTests
{
    private const string Suite = """
        name: tiny
        attributes:
          gender: {categories: [female, male]}
        prompts:
          - {id: p1, text: "Describe a nurse."}
        """;

    [Fact]
    public async Task RetryAfterIsHonoured()
    {
        using var temp = new TempFolder();
        await using var server = await FakeOpenAIServer.StartAsync(r => r.Number == 2 ? new FakeReply.Status(429, RetryAfterSeconds: 1) : new FakeReply.Text("She works."));

        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", temp.File("s.yaml", Suite), "--base-url", server.BaseUrl, "--model", "m",
            "--samples", "2", "--concurrency", "1", "--out", temp.Sub("run"));

        Assert.True(exit == 0, errors);
        var requests = server.Received.ToArray();
        Assert.Equal(3, requests.Length);
        // The retry waited for the server's Retry-After (1 s), not the 0.5 s first backoff.
        Assert.True(Stopwatch.GetElapsedTime(requests[1].ArrivedAt, requests[2].ArrivedAt) >= TimeSpan.FromSeconds(0.95));
    }

    [Fact]
    public async Task RequestsThatOutliveTheTimeoutAreRecordedAsFailed()
    {
        using var temp = new TempFolder();
        await using var server = await FakeOpenAIServer.StartAsync(_ => new FakeReply.Text("She works."), TimeSpan.FromSeconds(3));
        var output = temp.Sub("run");

        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", temp.File("s.yaml", Suite), "--base-url", server.BaseUrl, "--model", "m",
            "--samples", "2", "--timeout", "0.3", "--max-retries", "0", "--out", output);

        Assert.Equal(2, exit);
        Assert.Contains("no sample succeeded", errors);
        Assert.Equal(2, CliHarness.StoredSamples(output).Count(s => !s.Ok));
        Assert.Contains("timed out after 0.3 s", File.ReadAllText(Path.Combine(output, "run.db")));
    }

    [Fact]
    public async Task ApiKeyIsSentButNeverStoredOrReported()
    {
        using var temp = new TempFolder();
        const string Secret = "sk-test-4f9c2a7d1e";
        Environment.SetEnvironmentVariable("FAIRSCOPE_TEST_SECRET_KEY", Secret);
        try
        {
            await using var server = await FakeOpenAIServer.StartAsync(_ => new FakeReply.Text("She works."));
            var output = temp.Sub("run");

            var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", temp.File("s.yaml", Suite), "--base-url", server.BaseUrl, "--model", "m",
                "--samples", "2", "--api-key-env", "FAIRSCOPE_TEST_SECRET_KEY", "--out", output);

            Assert.True(exit == 0, errors);
            Assert.All(server.Received, r => Assert.Equal($"Bearer {Secret}", r.Authorization));
            foreach (var file in Directory.EnumerateFiles(output))
                Assert.DoesNotContain(Secret, File.ReadAllText(file));
            Assert.DoesNotContain(Secret, errors);
        }
        finally { Environment.SetEnvironmentVariable("FAIRSCOPE_TEST_SECRET_KEY", null); }
    }

    [Fact]
    public async Task ListingCommandsSucceed()
    {
        using var temp = new TempFolder();
        var replay = temp.File("out.jsonl", "{\"prompt_id\": \"p1\", \"output\": \"She works.\"}\n");
        Assert.Equal(0, (await CliHarness.RunAsync("audit", "--suite", temp.File("s.yaml", Suite), "--provider", "replay", "--replay", replay, "--out", temp.Sub("runs/a"))).Exit);

        Assert.Equal(0, (await CliHarness.RunAsync("suites")).Exit);
        Assert.Equal(0, (await CliHarness.RunAsync("runs", temp.Sub("runs"))).Exit);
        var (missing, errors) = await CliHarness.RunAsync("runs", temp.Sub("nowhere"));
        Assert.Equal(2, missing);
        Assert.Contains("does not exist", errors);

        Assert.Equal(0, (await CliHarness.RunAsync("world", "--out", temp.Sub("world"), "--people", "5", "--gender-strength", "0.8")).Exit);
        Assert.Equal(60, File.ReadAllLines(Path.Combine(temp.Sub("world"), "stories.jsonl")).Length);
        Assert.Equal(61, File.ReadAllLines(Path.Combine(temp.Sub("world"), "people.csv")).Length);
        var (bad, badErrors) = await CliHarness.RunAsync("world", "--out", temp.Sub("w2"), "--gender-strength", "2");
        Assert.Equal(2, bad);
        Assert.Contains("gender strength must be between 0 and 1", badErrors);
    }
}
