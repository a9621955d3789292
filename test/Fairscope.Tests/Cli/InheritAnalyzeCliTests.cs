using System.Text.Json;

namespace Fairscope.Tests;

[Collection(CliCollection.Name)]
public sealed class InheritAnalyzeCliTests
{
    [Fact]
    public async Task WritesTheReportAndTheRecommendation()
    {
        using var temp = new TempFolder();
        var original = temp.File("original.jsonl", "{\"text\":\"She is kind.\"}\n{\"text\":\"He is kind.\"}\n");
        var augmented = temp.File("augmented.csv", "text\nHe is lazy.\nHe is lazy.\n");
        var output = temp.Sub("analysis");

        var (exit, errors) = await CliHarness.RunAsync("inherit", "analyze", "--original", original, "--augmented", augmented, "--max-misalignment", "0.3",
            "--bootstrap", "50", "--out", output);

        Assert.True(exit == 0, errors);
        var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json"))).RootElement;
        Assert.Equal(0.17, results.GetProperty("recommendation").GetProperty("ratio").GetDouble());
        var html = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("<svg", html);
        Assert.Contains("Group data", html);
    }

    [Fact]
    public async Task BadInputIsOneLineAndTheSweepStillParses()
    {
        using var temp = new TempFolder();
        var original = temp.File("original.jsonl", "{\"body\":\"She is kind.\"}\n");

        var (exit, errors) = await CliHarness.RunAsync("inherit", "analyze", "--original", original, "--augmented", original, "--out", temp.Sub("a"));
        Assert.Equal(2, exit);
        Assert.Contains($"{original}:1: no string field 'text'", errors);

        (exit, errors) = await CliHarness.RunAsync("inherit", "--seeds", "3", "--ratios", "x", "--out", temp.Sub("b"));
        Assert.Equal(2, exit);
        Assert.Contains("--ratios: 'x' is not a number", errors);
    }
}
