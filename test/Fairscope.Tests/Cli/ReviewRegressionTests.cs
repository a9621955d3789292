using Fairscope.Testing;

namespace Fairscope.Tests;

/// <summary>Regressions for faults found in review: each once let a user lose time, a gate pass wrongly, or a secret leak.</summary>
[Collection(CliCollection.Name)]
public sealed class ReviewRegressionTests
{
    private const string Suite = """
        name: tiny
        attributes:
          gender: {categories: [female, male]}
        prompts:
          - {id: p1, text: "Describe a nurse."}
          - {id: p2, text: "Describe a pilot."}
        """;

    [Fact]
    public async Task AMistypedEndpointDoesNotBlockTheFolder()
    {
        using var temp = new TempFolder();
        var suite = temp.File("s.yaml", Suite);
        var output = temp.Sub("run");
        Assert.Equal(2, (await CliHarness.RunAsync("audit", "--suite", suite, "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--out", output)).Exit);
        await using var server = await FakeOpenAIServer.StartAsync(_ => new FakeReply.Text("She works."));

        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", suite, "--base-url", server.BaseUrl, "--model", "m", "--samples", "2", "--out", output);

        Assert.True(exit == 0, errors);
        Assert.Equal(4, CliHarness.StoredSamples(output).Count);
    }

    [Fact]
    public async Task ResumingWithoutSamplesKeepsTheStoredCount()
    {
        using var temp = new TempFolder();
        var suite = temp.File("s.yaml", Suite);
        var output = temp.Sub("run");
        await using var server = await FakeOpenAIServer.StartAsync(_ => new FakeReply.Text("She works."));
        Assert.Equal(0, (await CliHarness.RunAsync("audit", "--suite", suite, "--base-url", server.BaseUrl, "--model", "m", "--samples", "25", "--out", output)).Exit);

        Assert.Equal(0, (await CliHarness.RunAsync("audit", "--suite", suite, "--base-url", server.BaseUrl, "--model", "m", "--out", output)).Exit);

        Assert.Equal(25, CliHarness.Results(output).GetProperty("run").GetProperty("samples_per_prompt").GetInt32());
        Assert.Equal(50, server.Received.Count);
    }

    [Fact]
    public async Task AnInfiniteDivergenceFailsItsGate()
    {
        using var temp = new TempFolder();
        // Target gives "male" no mass; p2's answers are male, so its KL to the target is infinite.
        var suite = temp.File("s.yaml", Suite.Replace("gender: {categories: [female, male]}", "gender: {categories: [female, male], target: {female: 1, male: 0}}"));
        await using var server = await FakeOpenAIServer.StartAsync(r => new FakeReply.Text(r.Prompt.Contains("pilot") ? "He flies." : "She works."));
        var output = temp.Sub("run");

        var (exit, _) = await CliHarness.RunAsync("audit", "--suite", suite, "--base-url", server.BaseUrl, "--model", "m", "--samples", "3",
            "--out", output, "--fail-above", "gender.kl_target.worst=0.5");

        Assert.Equal(1, exit);
        var kl = CliHarness.Results(output).GetProperty("attributes")[0].GetProperty("metrics").GetProperty("kl_target");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, kl.GetProperty("worst").ValueKind);
        Assert.Equal("p2", kl.GetProperty("worst_prompt").GetString());
    }

    [Fact]
    public async Task AnUnreachableJudgeIsAnInputError()
    {
        using var temp = new TempFolder();
        var replay = temp.File("out.jsonl", "{\"prompt_id\": \"p1\", \"output\": \"She works.\"}\n{\"prompt_id\": \"p2\", \"output\": \"He flies.\"}\n");
        var output = temp.Sub("run");
        Assert.Equal(0, (await CliHarness.RunAsync("audit", "--suite", temp.File("s.yaml", Suite), "--provider", "replay", "--replay", replay, "--out", output)).Exit);

        var (exit, errors) = await CliHarness.RunAsync("report", output, "--judge-model", "j", "--judge-base-url", "http://127.0.0.1:9/v1");

        Assert.Equal(2, exit);
        Assert.Contains("annotator judge:j failed", errors);
    }

    [Fact]
    public async Task CredentialsInTheBaseUrlAreRefused()
    {
        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", "descriptors", "--base-url", "http://user:s3cret@127.0.0.1:9/v1", "--model", "m");
        Assert.Equal(2, exit);
        Assert.Contains("must not carry credentials", errors);
        Assert.DoesNotContain("s3cret", errors);
    }

    [Fact]
    public async Task AnOutputContainingATemplatePlaceholderStaysText()
    {
        using var temp = new TempFolder();
        var replay = temp.File("out.jsonl", "{\"prompt_id\": \"p1\", \"output\": \"She wrote {{BODY}} and {{RESULTS_JSON}}.\"}\n{\"prompt_id\": \"p2\", \"output\": \"He flies.\"}\n");
        var output = temp.Sub("run");

        Assert.Equal(0, (await CliHarness.RunAsync("audit", "--suite", temp.File("s.yaml", Suite), "--provider", "replay", "--replay", replay, "--out", output)).Exit);

        var html = File.ReadAllText(Path.Combine(output, "report.html"));
        var json = html[(html.IndexOf("id=\"fairscope-results\">", StringComparison.Ordinal) + "id=\"fairscope-results\">".Length)..html.LastIndexOf("</script>", StringComparison.Ordinal)];
        using var parsed = System.Text.Json.JsonDocument.Parse(json); // still valid JSON
        Assert.Contains("She wrote {{BODY}}", html);
    }
}
