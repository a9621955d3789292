using System.Diagnostics;
using System.Text.Json;

namespace Fairscope.Tests;

/// <summary>fairscope serve as a command, and audits run through it.</summary>
[Collection(CliCollection.Name)]
public sealed class ServeCliTests
{
    private const string Suite = TinyModels.ProbeSuite;

    [Fact]
    public async Task AnAuditThroughTheServerMatchesTheBuiltinProviderSampleBySample()
    {
        await using var serve = await ServeTestServer.StartAsync();
        var suite = serve.Temp.File("s.yaml", Suite);
        string[] Common(string output) => ["audit", "--suite", suite, "--samples", "3", "--max-tokens", "12", "--seed", "5",
            "--system-prompt", "Answer briefly.", "--out", serve.Temp.Sub(output)];

        var (exit, errors) = await CliHarness.RunAsync([.. Common("served"), "--provider", "openai", "--base-url", serve.Server.BaseUrl, "--model", "builtin"]);
        Assert.True(exit == 0, errors);
        (exit, errors) = await CliHarness.RunAsync([.. Common("builtin"), "--provider", "builtin", "--model", serve.Directory]);
        Assert.True(exit == 0, errors);

        var served = CliHarness.StoredOutputs(serve.Temp.Sub("served"));
        Assert.Equal(6, served.Count);
        Assert.All(served.Values, Assert.NotNull);
        // Same sample seeds, same prompt (system prompt + newline + prompt), same sampler: the same outputs.
        Assert.Equal(CliHarness.StoredOutputs(serve.Temp.Sub("builtin")), served);
    }

    [Fact]
    public async Task AMissingModelDirectoryIsAnInputError()
    {
        using var temp = new TempFolder();
        var (exit, errors) = await CliHarness.RunAsync("serve", "--model", temp.Sub("nothing"), "--port", "0");
        Assert.Equal(2, exit);
        Assert.Contains("does not exist", errors);
        Assert.Single(errors.Trim().Split('\n'));
    }

    [Fact]
    public async Task ABadHostIsAnInputError()
    {
        using var temp = new TempFolder();
        var directory = ServeTestServer.WriteModel(temp);
        var (exit, errors) = await CliHarness.RunAsync("serve", "--model", directory, "--host", "not a host");
        Assert.Equal(2, exit);
        Assert.Contains("--host", errors);
    }

    [Fact]
    public async Task ServesUntilCancelledThenExitsZero()
    {
        using var temp = new TempFolder();
        var directory = ServeTestServer.WriteModel(temp);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var started = Stopwatch.StartNew();
        var (exit, errors) = await CliHarness.RunAsync(cancel.Token, "serve", "--model", directory, "--port", "0");
        Assert.True(exit == 0, errors);
        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(2.5));
        Assert.Contains("server stopped", errors);
    }
}
