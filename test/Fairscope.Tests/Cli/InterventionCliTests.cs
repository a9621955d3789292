using System.Text.Json;
using Fairscope.Testing;

namespace Fairscope.Tests;

[Collection(CliCollection.Name)]
public sealed class InterventionCliTests
{
    private const string Suite = """
        name: carers
        description: Two prompts, gender only
        attributes:
          gender:
            categories: [female, male]
        templates:
          - id: describe
            text: "Describe {a:occupation}."
        slots:
          occupation: [nurse, engineer]
        """;

    // A model that writes about a man unless the prompt says the person is a woman.
    private static FakeReply Stereotyped(FakeRequest request) =>
        new FakeReply.Text(request.Prompt.Contains("a woman", StringComparison.Ordinal) ? "She keeps everything running." : "He keeps everything running.");

    [Fact]
    public async Task BalancedInterventionRemovesTheBiasOfTheBaseline()
    {
        using var temp = new TempFolder();
        var suite = temp.File("carers.yaml", Suite);
        await using var server = await FakeOpenAIServer.StartAsync(Stereotyped);
        string[] common = ["audit", "--suite", suite, "--base-url", server.BaseUrl, "--model", "fake", "--samples", "10", "--seed", "3"];
        var baseline = temp.Sub("baseline");
        var balanced = temp.Sub("balanced");

        var (exit, errors) = await CliHarness.RunAsync([.. common, "--out", baseline]);
        Assert.True(exit == 0, errors);
        (exit, errors) = await CliHarness.RunAsync([.. common, "--out", balanced, "--intervention", "balanced", "--baseline", baseline]);
        Assert.True(exit == 0, errors);

        var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(balanced, "results.json"))).RootElement;
        var parameters = JsonDocument.Parse(document.GetProperty("result").GetProperty("run").GetProperty("parameters").GetString()!).RootElement;
        Assert.Equal("balanced", parameters.GetProperty("intervention").GetProperty("name").GetString());
        var comparison = document.GetProperty("baseline");
        Assert.Equal(2, comparison.GetProperty("prompts").GetInt32());
        var gender = comparison.GetProperty("attributes")[0];
        Assert.Equal("gender", gender.GetProperty("attribute").GetString());
        // Baseline: every output "he" → bias 1 on both prompts; balanced: 5 "she" and 5 "he" per prompt → 0.
        Assert.Equal(1.0, gender.GetProperty("baseline_bias").GetProperty("value").GetDouble(), 9);
        Assert.Equal(0.0, gender.GetProperty("bias").GetProperty("value").GetDouble(), 9);
        Assert.Equal(-1.0, gender.GetProperty("difference").GetProperty("value").GetDouble(), 9);
        Assert.True(gender.GetProperty("difference").GetProperty("ci_high").GetDouble() < 0);
        var fidelity = comparison.GetProperty("fidelity");
        Assert.Equal(0.0, fidelity.GetProperty("mean_length_difference").GetDouble(), 9);
        Assert.Contains("Compared with baseline run baseline", File.ReadAllText(Path.Combine(balanced, "report.html")));

        // Re-rendering keeps the comparison when asked for it.
        (exit, errors) = await CliHarness.RunAsync("report", balanced, "--baseline", baseline);
        Assert.True(exit == 0, errors);
        Assert.Equal(-1.0, JsonDocument.Parse(File.ReadAllText(Path.Combine(balanced, "results.json"))).RootElement
            .GetProperty("baseline").GetProperty("attributes")[0].GetProperty("difference").GetProperty("value").GetDouble(), 9);
    }

    [Fact]
    public async Task TheInterventionIsPartOfTheRunIdentity()
    {
        using var temp = new TempFolder();
        var suite = temp.File("carers.yaml", Suite);
        await using var server = await FakeOpenAIServer.StartAsync(Stereotyped);
        string[] common = ["audit", "--suite", suite, "--base-url", server.BaseUrl, "--model", "fake", "--samples", "2", "--out", temp.Sub("run")];

        Assert.Equal(0, (await CliHarness.RunAsync([.. common, "--intervention", "ethical"])).Exit);
        var requests = server.Received.Count;
        Assert.Equal(0, (await CliHarness.RunAsync([.. common, "--intervention", "ethical"])).Exit);
        Assert.Equal(requests, server.Received.Count); // resumed: nothing left to generate

        var (exit, errors) = await CliHarness.RunAsync([.. common, "--intervention", "self-debias"]);
        Assert.Equal(2, exit);
        Assert.Contains("already holds run", errors);
        (exit, errors) = await CliHarness.RunAsync(common);
        Assert.Equal(2, exit);
        Assert.Contains("already holds run", errors);
    }

    [Theory]
    [InlineData("--intervention bogus", "--intervention 'bogus' must be balanced, ethical or self-debias")]
    [InlineData("--provider replay --replay x.jsonl --intervention ethical", "works through a chat or image endpoint (--provider openai, openai-images or a1111), not replay")]
    [InlineData("--model m --baseline no-such-folder", "--baseline: no-such-folder does not exist")]
    public async Task BadOptionsAreOneLineErrors(string options, string message)
    {
        using var temp = new TempFolder();
        var suite = temp.File("carers.yaml", Suite);

        var (exit, errors) = await CliHarness.RunAsync(["audit", "--suite", suite, "--out", temp.Sub("run"), .. options.Split(' ')]);

        Assert.Equal(2, exit);
        Assert.Contains(message, errors);
        Assert.Single(errors.Trim().Split('\n'));
    }

    [Fact]
    public async Task IncompatibleInterventionsAreRefusedBeforeSampling()
    {
        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", "occupation-portraits", "--provider", "openai-images", "--model", "m", "--intervention", "self-debias");
        Assert.Equal(2, exit);
        Assert.Contains("--intervention self-debias revises a text draft", errors);
        (exit, errors) = await CliHarness.RunAsync("audit", "--suite", "occupation-portraits", "--provider", "a1111", "--intervention", "balanced", "--images-per-request", "4");
        Assert.Equal(2, exit);
        Assert.Contains("use --images-per-request 1", errors);
        (exit, errors) = await CliHarness.RunAsync("audit", "--suite", "counterfactual", "--model", "m", "--intervention", "balanced");
        Assert.Equal(2, exit);
        Assert.Contains("would contradict the groups that suite 'counterfactual' names", errors);
    }
}
