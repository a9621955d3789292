using System.Text.Json;
using Fairscope.Testing;

namespace Fairscope.Tests;

[Collection(CliCollection.Name)]
public sealed class AuditEndToEndTests
{
    [Fact]
    public async Task ScriptedMixGivesExactCountsAndMetrics()
    {
        using var temp = new TempFolder();
        var suite = temp.File("scripted.yaml", ScriptedMix.Suite);
        var mix = new ScriptedMix();
        await using var server = await FakeOpenAIServer.StartAsync(mix.Reply);
        var output = temp.Sub("run");

        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", suite, "--base-url", server.BaseUrl, "--model", "fake",
            "--samples", "10", "--out", output, "--concurrency", "4", "--seed", "7");

        Assert.True(exit == 0, errors);
        var results = CliHarness.Results(output);
        var nurse = Prompt(results, "describe/nurse");
        Assert.Equal(10, nurse.GetProperty("samples").GetInt32());
        AssertCounts(nurse, "gender", ("female", 7), ("male", 2), ("unknown", 1));
        AssertCounts(nurse, "race", ("white", 7), ("black", 2), ("asian", 0), ("hispanic", 0), ("unknown", 1));
        AssertCounts(nurse, "gender_x_race", ("female/white", 7), ("male/black", 2), ("unknown", 1));
        var engineer = Prompt(results, "describe/engineer");
        AssertCounts(engineer, "gender", ("female", 5), ("male", 5), ("unknown", 0));
        AssertCounts(engineer, "race", ("unknown", 10));

        // nurse gender: f = (7/9, 2/9) → |7/9 − 2/9| = 5/9; engineer: 0. Mean over the two prompts = 5/18.
        Assert.Equal(5.0 / 9, Metric(nurse, "gender", "bias_score"), 9);
        Assert.Equal(0.0, Metric(engineer, "gender", "bias_score"), 9);
        var gender = Attribute(results, "gender").GetProperty("metrics").GetProperty("bias_score");
        Assert.Equal(5.0 / 18, gender.GetProperty("mean").GetDouble(), 9);
        Assert.Equal("describe/nurse", gender.GetProperty("worst_prompt").GetString());
        Assert.True(gender.GetProperty("ci_low").GetDouble() <= 5.0 / 18 && 5.0 / 18 <= gender.GetProperty("ci_high").GetDouble());
        // nurse race: f = (7/9, 2/9, 0, 0); pairwise |differences| = 5,7,7,2,2,0 (ninths) → 23/9 / 6 = 23/54.
        // engineer has no known race label, so the mean is over one prompt.
        Assert.Equal(23.0 / 54, Metric(nurse, "race", "bias_score"), 9);
        var race = Attribute(results, "race").GetProperty("metrics").GetProperty("bias_score");
        Assert.Equal(23.0 / 54, race.GetProperty("mean").GetDouble(), 9);
        Assert.Equal(1, race.GetProperty("prompts").GetInt32());
        // tv to uniform gender target for nurse: ½(|7/9 − ½| + |2/9 − ½|) = 5/18; unknown rate 1/10.
        Assert.Equal(5.0 / 18, Metric(nurse, "gender", "tv_target"), 9);
        Assert.Equal(0.1, Metric(nurse, "gender", "unknown_rate"), 9);
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
        Assert.Equal(21, File.ReadAllLines(Path.Combine(output, "samples.csv")).Length); // header + 20 samples (no newlines in these outputs)
    }

    [Fact]
    public async Task FailedGateExitsOneAndNamesTheMetric()
    {
        using var temp = new TempFolder();
        var suite = temp.File("scripted.yaml", ScriptedMix.Suite);
        var mix = new ScriptedMix();
        await using var server = await FakeOpenAIServer.StartAsync(mix.Reply);
        var output = temp.Sub("run");
        string[] common = ["audit", "--suite", suite, "--base-url", server.BaseUrl, "--model", "fake", "--samples", "10", "--out", output];

        var (exit, _) = await CliHarness.RunAsync([.. common, "--fail-above", "gender.bias_score=0.10"]);
        Assert.Equal(1, exit);
        var gates = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json"))).RootElement.GetProperty("gates");
        Assert.Equal("gender.bias_score", gates[0].GetProperty("metric").GetString());
        Assert.False(gates[0].GetProperty("passed").GetBoolean());

        // The run is complete, so these reuse the stored samples.
        Assert.Equal(0, (await CliHarness.RunAsync([.. common, "--fail-above", "gender.bias_score=0.30"])).Exit);
        Assert.Equal(1, (await CliHarness.RunAsync([.. common, "--fail-above", "gender.bias_score.worst=0.30"])).Exit);
        var (unknown, errors) = await CliHarness.RunAsync([.. common, "--fail-above", "gender.bogus=0.3"]);
        Assert.Equal(2, unknown);
        Assert.Contains("unknown metric 'gender.bogus'", errors);
    }

    [Fact]
    public async Task ModelOutputIsEscapedInHtml()
    {
        using var temp = new TempFolder();
        var suite = temp.File("scripted.yaml", ScriptedMix.Suite);
        await using var server = await FakeOpenAIServer.StartAsync(_ => new FakeReply.Text("<script>alert('x')</script> She said </script><img src=x onerror=alert(1)>"));
        var output = temp.Sub("run");

        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", suite, "--base-url", server.BaseUrl, "--model", "fake", "--samples", "3", "--out", output);

        Assert.True(exit == 0, errors);
        var html = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.Contains("&lt;script&gt;alert", html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "</script>")); // only the report's own JSON block closes
    }

    [Fact]
    public async Task ReportRerendersFromTheStoreWithoutGenerating()
    {
        using var temp = new TempFolder();
        var suite = temp.File("scripted.yaml", ScriptedMix.Suite);
        var mix = new ScriptedMix();
        await using var server = await FakeOpenAIServer.StartAsync(mix.Reply);
        var output = temp.Sub("run");
        Assert.Equal(0, (await CliHarness.RunAsync("audit", "--suite", suite, "--base-url", server.BaseUrl, "--model", "fake", "--samples", "10", "--out", output)).Exit);
        var before = File.ReadAllText(Path.Combine(output, "results.json"));
        var requests = server.Received.Count;
        File.Delete(Path.Combine(output, "report.html"));
        File.Delete(suite); // the store keeps the suite as run

        var (exit, errors) = await CliHarness.RunAsync("report", output);

        Assert.True(exit == 0, errors);
        Assert.Equal(requests, server.Received.Count);
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
        Assert.Equal(before, File.ReadAllText(Path.Combine(output, "results.json")));
    }

    private static JsonElement Prompt(JsonElement results, string id) =>
        results.GetProperty("prompts").EnumerateArray().Single(p => p.GetProperty("id").GetString() == id);

    private static JsonElement Attribute(JsonElement results, string name) =>
        results.GetProperty("attributes").EnumerateArray().Single(a => a.GetProperty("name").GetString() == name);

    private static double Metric(JsonElement prompt, string attribute, string metric) =>
        prompt.GetProperty("attributes").GetProperty(attribute).GetProperty("metrics").GetProperty(metric).GetProperty("value").GetDouble();

    private static void AssertCounts(JsonElement prompt, string attribute, params (string Label, int Count)[] expected)
    {
        var counts = prompt.GetProperty("attributes").GetProperty(attribute).GetProperty("counts");
        foreach (var (label, count) in expected) Assert.Equal(count, counts.GetProperty(label).GetInt32());
    }
}
