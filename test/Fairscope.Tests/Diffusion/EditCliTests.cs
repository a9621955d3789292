namespace Fairscope.Tests;

/// <summary><c>fairscope edit</c> and <c>audit --provider builtin-diffusion</c> on a toy built-in diffusion model: a dry run,
/// weights from a CSV, from an audit and from the in-process search, and one-line exit-2 errors that leave the input as it was.</summary>
public sealed class EditCliTests : IClassFixture<EditCliTests.TinyModel>
{
    /// <summary>A toy diffusion model trained once for the class.</summary>
    public sealed class TinyModel : IDisposable
    {
        private readonly TempFolder _temp = new();

        public TinyModel()
        {
            Directory = new DiffusionLab(DiffusionSettings.Tiny(), new ModelCache(_temp.Sub("cache")), _temp.Sub("lab")).ModelDirectory(CancellationToken.None);
        }

        public string Directory { get; }

        public void Dispose() => _temp.Dispose();
    }

    private readonly TinyModel _model;

    public EditCliTests(TinyModel model) => _model = model;

    private string UNet => Path.Combine(_model.Directory, DiffusionModel.UNetFolder, DiffusionModel.UNetWeightsFile);

    private static readonly string[] Concepts = ["--concept", "nurse,chef", "--attribute", "gender=female,male", "--template", DiffusionLab.PromptTemplate];

    [Fact]
    public async Task Dry_run_reports_every_layer_and_writes_nothing()
    {
        using var temp = new TempFolder();
        var before = Hash(UNet);
        var weights = temp.File("w.csv", "concept,class,weight\nnurse,male,0.5\nnurse,female,-0.5\n");
        var (exit, errors) = await CliHarness.RunAsync(["edit", "--unet", _model.Directory, "--weights", weights, "--dry-run", .. Concepts]);
        Assert.True(exit == 0, errors);
        Assert.Equal(before, Hash(UNet));
        Assert.False(File.Exists(UNet + ".dry-run"));
    }

    [Fact]
    public async Task Csv_weights_write_a_model_directory_that_differs_only_in_the_cross_attention_projections()
    {
        using var temp = new TempFolder();
        var weights = temp.File("w.csv", "concept,class,weight\nnurse,male,0.5\nnurse,female,-0.5\nchef,female,0.4\n");
        var (exit, errors) = await CliHarness.RunAsync(["edit", "--unet", _model.Directory, "--weights", weights, "--out", temp.Sub("edited"), .. Concepts]);
        Assert.True(exit == 0, errors);
        foreach (var file in Directory.EnumerateFiles(_model.Directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_model.Directory, f)))
        {
            var same = File.ReadAllBytes(Path.Combine(_model.Directory, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(temp.Sub("edited"), file)));
            Assert.True(same == (file != Path.Combine(DiffusionModel.UNetFolder, DiffusionModel.UNetWeightsFile)), file);
        }
        var header = SafetensorsHeader.Read(Path.Combine(temp.Sub("edited"), DiffusionModel.UNetFolder, DiffusionModel.UNetWeightsFile));
        Assert.Contains("chef", header.Metadata[CrossAttentionEditor.MetadataKey]);
        using var edited = DiffusionModel.Load(temp.Sub("edited"));
        Assert.Single(edited.Draw([PortraitWorld.Caption("nurse", null)], [1]));
    }

    [Fact]
    public async Task Weights_from_an_audit_of_the_builtin_provider_and_from_the_in_process_search()
    {
        using var temp = new TempFolder();
        var (exit, errors) = await CliHarness.RunAsync(["audit", "--suite", "portrait-world", "--provider", "builtin-diffusion", "--model", _model.Directory,
            "--samples", "2", "--steps", "2", "--out", temp.Sub("audit"), "--bootstrap", "100"]);
        Assert.True(exit == 0, errors);
        Assert.Equal(PortraitAuditor.Suite.Prompts.Count * 2, CliHarness.Results(temp.Sub("audit")).GetProperty("run").GetProperty("ok_samples").GetInt32());

        // A toy classifier labels few images, so the test sets the nurse prompt's gender counts itself: 3 female, 1 male.
        var results = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(temp.Sub("audit"), "results.json")))!;
        foreach (var prompt in results["result"]!["prompts"]!.AsArray())
            prompt!["attributes"]!["gender"]!["counts"] = new System.Text.Json.Nodes.JsonObject { ["female"] = 3, ["male"] = 1 };
        File.WriteAllText(Path.Combine(temp.Sub("audit"), "results.json"), results.ToJsonString());
        (exit, errors) = await CliHarness.RunAsync(["edit", "--unet", UNet, "--text-encoder", Path.Combine(_model.Directory, DiffusionModel.TextEncoderFolder),
            "--tokenizer", Path.Combine(_model.Directory, DiffusionModel.TokenizerFolder), "--from-run", temp.Sub("audit"),
            "--concept", "nurse", "--attribute", "gender", "--step-size", "2", "--out", temp.Sub("from-run.safetensors")]);
        Assert.True(exit == 0, errors);
        // weight = 2 × (½ − share): female 2 × (0.5 − 0.75) = −0.5, male 2 × (0.5 − 0.25) = +0.5
        var record = SafetensorsHeader.Read(temp.Sub("from-run.safetensors")).Metadata[CrossAttentionEditor.MetadataKey];
        Assert.Contains("-0.5", record);
        Assert.Contains("0.5", record);

        (exit, errors) = await CliHarness.RunAsync(["edit", "--unet", _model.Directory, "--search", "--iterations", "1", "--images", "2",
            "--out", temp.Sub("searched"), .. Concepts]);
        Assert.True(exit == 0, errors);
        Assert.True(File.Exists(Path.Combine(temp.Sub("searched"), DiffusionModel.UNetFolder, DiffusionModel.UNetWeightsFile)));
    }

    [Theory]
    [InlineData("--weights {w} --unet {other}", "has no attn2.to_k/to_v tensors")]
    [InlineData("--weights {w} --unet {unet} --text-encoder {narrow} --tokenizer {tokenizer}", "text encoder width 8")]
    [InlineData("--weights {w} --unet {model} --lambda 0", "use a larger --lambda")]
    [InlineData("--unet {model}", "exactly one source of class weights")]
    [InlineData("--weights {bad} --unet {model}", "w-bad.csv:2:")]
    [InlineData("--weights {w} --unet {unet}", "give --tokenizer")]
    [InlineData("--search --unet {unet} --text-encoder {te} --tokenizer {tokenizer}", "is not a diffusion model directory")]
    public async Task Bad_input_exits_two_with_one_line_and_leaves_the_input(string arguments, string error)
    {
        using var temp = new TempFolder();
        var before = Hash(UNet);
        var other = temp.Sub("other.safetensors");
        using (var scope = TorchSharp.torch.NewDisposeScope())
            SafetensorsWriter.Write(other, new Dictionary<string, TorchSharp.torch.Tensor> { ["conv.weight"] = TorchSharp.torch.ones(2, 2) });
        using (var narrow = new ClipTextModel(new ClipTextConfig(VocabSize: 1000, Width: 8, Layers: 1, Heads: 2, MaxPositions: 20, IntermediateSize: 16)))
            narrow.Save(temp.Sub("narrow"));
        var replaced = arguments.Replace("{w}", temp.File("w.csv", "concept,class,weight\nnurse,male,0.5\n")).Replace("{bad}", temp.File("w-bad.csv", "concept,class,weight\nnurse,robot,1\n"))
            .Replace("{other}", other).Replace("{unet}", UNet).Replace("{model}", _model.Directory).Replace("{narrow}", temp.Sub("narrow"))
            .Replace("{tokenizer}", Path.Combine(_model.Directory, DiffusionModel.TokenizerFolder)).Replace("{te}", Path.Combine(_model.Directory, DiffusionModel.TextEncoderFolder));
        var (exit, errors) = await CliHarness.RunAsync(["edit", .. replaced.Split(' '), "--out", temp.Sub("out"), .. Concepts]);
        Assert.Equal(2, exit);
        Assert.Contains(error, errors);
        Assert.Single(errors.Trim().Split('\n'));
        Assert.Equal(before, Hash(UNet));
        Assert.False(Directory.Exists(temp.Sub("out")) || File.Exists(temp.Sub("out")));
    }

    private static string Hash(string path) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
}
