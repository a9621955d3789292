using Fairscope.Testing;

namespace Fairscope.Tests;

/// <summary>Every bad input: exit code 2, one clear line naming what is wrong, nothing stored lost.</summary>
[Collection(CliCollection.Name)]
public sealed class BadInputTests
{
    [Fact]
    public async Task MalformedSuiteNamesFileAndLine()
    {
        using var temp = new TempFolder();
        var suite = temp.File("broken.yaml", "name: broken\nattributes:\n  gender:\n    categories: [female, male]\n    taget: {female: 1}\nprompts:\n  - {id: a, text: hi}\n");

        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", suite, "--provider", "replay", "--replay", "x.jsonl");

        Assert.Equal(2, exit);
        Assert.Contains($"{suite}:5: unknown key 'taget'", errors);
        Assert.Single(errors.Trim().Split('\n'));
    }

    [Fact]
    public async Task UnknownSuiteAndProvider()
    {
        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", "no-such-suite", "--model", "m");
        Assert.Equal(2, exit);
        Assert.Contains("neither a built-in suite", errors);

        (exit, errors) = await CliHarness.RunAsync("audit", "--suite", "occupations", "--provider", "bogus", "--model", "m");
        Assert.Equal(2, exit);
        Assert.Contains("unknown provider 'bogus'", errors);
    }

    [Fact]
    public async Task UnknownModelStopsAtTheFirstRequest()
    {
        using var temp = new TempFolder();
        await using var server = await FakeOpenAIServer.StartAsync(r => new FakeReply.Status(404, Body: $"{{\"error\":{{\"message\":\"model '{r.Model}' not found\"}}}}"));

        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", "descriptors", "--base-url", server.BaseUrl, "--model", "nope", "--out", temp.Sub("run"));

        Assert.Equal(2, exit);
        Assert.Contains("HTTP 404", errors);
        Assert.Contains("model 'nope' not found", errors);
        Assert.Single(server.Received);
        Assert.Empty(CliHarness.StoredSamples(temp.Sub("run")));
    }

    [Fact]
    public async Task UnreachableEndpoint()
    {
        using var temp = new TempFolder();
        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", "descriptors", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--out", temp.Sub("run"));
        Assert.Equal(2, exit);
        Assert.Contains("endpoint looks wrong", errors);
        Assert.Contains("127.0.0.1:9", errors);
    }

    [Fact]
    public async Task MissingApiKeyForRemoteEndpoint()
    {
        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", "descriptors", "--base-url", "https://models.example.com/v1", "--model", "m",
            "--api-key-env", "FAIRSCOPE_TEST_UNSET_KEY");
        Assert.Equal(2, exit);
        Assert.Contains("needs an API key: set FAIRSCOPE_TEST_UNSET_KEY", errors);
    }

    [Fact]
    public async Task MalformedReplayNamesTheLine()
    {
        using var temp = new TempFolder();
        var replay = temp.File("out.jsonl", "{\"prompt_id\": \"describe/ambitious\", \"output\": \"She leads.\"}\n{\"prompt_id\": \"describe/ambitious\", \"output\": \n");

        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", "descriptors", "--provider", "replay", "--replay", replay, "--out", temp.Sub("run"));

        Assert.Equal(2, exit);
        Assert.Contains($"{replay}:2: not valid JSON", errors);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("no-choices")]
    public async Task EndpointAnsweringNonsenseRecordsFailuresAndExitsTwo(string kind)
    {
        using var temp = new TempFolder();
        await using var server = await FakeOpenAIServer.StartAsync(_ => kind == "garbage" ? new FakeReply.Garbage() : new FakeReply.NoChoices());
        var output = temp.Sub("run");

        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", "descriptors", "--base-url", server.BaseUrl, "--model", "m",
            "--samples", "1", "--out", output, "--max-retries", "0");

        Assert.Equal(2, exit);
        Assert.Contains("no sample succeeded", errors);
        var stored = CliHarness.StoredSamples(output);
        Assert.Equal(68, stored.Count); // every sample recorded as failed, with its error
        Assert.All(stored, s => Assert.False(s.Ok));
    }

    [Fact]
    public async Task StoreLockedByAnotherProcess()
    {
        using var temp = new TempFolder();
        var output = temp.Sub("run");
        await using var holder = SqliteRunStore.Open(Path.Combine(output, SqliteRunStore.FileName));
        var replay = temp.File("out.jsonl", "{\"prompt_id\": \"describe/ambitious\", \"output\": \"She leads.\"}\n");

        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", "descriptors", "--provider", "replay", "--replay", replay, "--out", output);

        Assert.Equal(2, exit);
        Assert.Contains("is locked by another fairscope process", errors);
    }

    [Fact]
    public async Task UnwritableStoreLocation()
    {
        using var temp = new TempFolder();
        var file = temp.File("not-a-folder", "x");
        var replay = temp.File("out.jsonl", "{\"prompt_id\": \"describe/ambitious\", \"output\": \"She leads.\"}\n");

        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", "descriptors", "--provider", "replay", "--replay", replay, "--out", Path.Combine(file, "run"));

        Assert.Equal(2, exit);
        Assert.Contains("cannot open run store", errors);
    }

    [Fact]
    public async Task ResumingWithAnotherModelIsRefusedAndKeepsTheRun()
    {
        using var temp = new TempFolder();
        var output = temp.Sub("run");
        var replay = temp.File("out.jsonl", "{\"prompt_id\": \"describe/ambitious\", \"output\": \"She leads.\"}\n");
        Assert.Equal(0, (await CliHarness.RunAsync("audit", "--suite", "descriptors", "--provider", "replay", "--replay", replay, "--out", output)).Exit);

        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", "descriptors", "--provider", "replay", "--replay", replay, "--model", "other", "--out", output);

        Assert.Equal(2, exit);
        Assert.Contains("already holds run", errors);
        Assert.Equal(68, CliHarness.StoredSamples(output).Count); // 1 output + 67 prompts the file has nothing for, recorded as failed
    }

    [Fact]
    public async Task UsageErrorsExitTwo()
    {
        Assert.Equal(2, (await CliHarness.RunAsync("audit")).Exit);
        Assert.Equal(2, (await CliHarness.RunAsync("no-such-command")).Exit);
        Assert.Equal(2, (await CliHarness.RunAsync("report", "/no/such/folder")).Exit);
    }
}
