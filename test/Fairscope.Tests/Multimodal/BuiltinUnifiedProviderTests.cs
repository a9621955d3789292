namespace Fairscope.Tests;

/// <summary><c>audit --provider builtin-umllm</c>: the built-in unified model draws the suite's images and answers the
/// understanding probe in-process, labelled by its world's classifier, through the normal audit path.</summary>
public sealed class BuiltinUnifiedProviderTests : IClassFixture<BuiltinUnifiedProviderTests.TinyModel>
{
    /// <summary>A toy unified model trained once for the class.</summary>
    public sealed class TinyModel : IDisposable
    {
        private readonly TempFolder _temp = new();

        public TinyModel()
        {
            Directory = new MultimodalLab(MultimodalSettings.Tiny(), new ModelCache(_temp.Sub("cache")), _temp.Sub("lab")).ModelDirectory(CancellationToken.None);
        }

        public string Directory { get; }

        public void Dispose() => _temp.Dispose();
    }

    private readonly TinyModel _model;

    public BuiltinUnifiedProviderTests(TinyModel model) => _model = model;

    [Fact]
    public async Task Audits_generation_and_understanding_in_process_and_resumes_without_generating_again()
    {
        using var temp = new TempFolder();
        var output = temp.Sub("run");
        string[] args = ["audit", "--suite", "portrait-world", "--provider", "builtin-umllm", "--model", _model.Directory, "--samples", "2",
            "--understanding", "ask", "--out", output, "--bootstrap", "100"];
        var (exit, errors) = await CliHarness.RunAsync(args);
        Assert.True(exit == 0, errors);
        var results = CliHarness.Results(output);
        Assert.Equal(PortraitAuditor.Suite.Prompts.Count * 2, results.GetProperty("run").GetProperty("ok_samples").GetInt32());
        Assert.Contains(results.GetProperty("annotators").EnumerateArray(), a => a.GetProperty("name").GetString() == "portrait-classifier");
        var understanding = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json"))).RootElement.GetProperty("understanding");
        Assert.Equal(3, understanding.GetProperty("alignment").GetArrayLength());
        var stored = CliHarness.StoredOutputs(output);
        Assert.All(stored.Values, o => Assert.NotNull(o));

        (exit, errors) = await CliHarness.RunAsync(args);
        Assert.True(exit == 0, errors);
        Assert.Equal(stored, CliHarness.StoredOutputs(output));
    }

    [Theory]
    [InlineData("--model {model} --understanding ask --understanding-model other", "answers the understanding questions itself")]
    [InlineData("--model /nonexistent/model", "is not a built-in unified model")]
    public async Task Bad_input_exits_two_with_one_line(string arguments, string error)
    {
        using var temp = new TempFolder();
        string[] args = ["audit", "--suite", "portrait-world", "--provider", "builtin-umllm", "--samples", "2", "--out", temp.Sub("run"),
            .. arguments.Replace("{model}", _model.Directory).Split(' ')];
        var (exit, errors) = await CliHarness.RunAsync(args);
        Assert.Equal(2, exit);
        Assert.Contains(error, errors);
        Assert.Single(errors.Trim().Split('\n'));
    }
}
