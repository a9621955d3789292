namespace Fairscope.Tests;

/// <summary>--provider builtin: a GPT model directory audited in-process.</summary>
[Collection(CliCollection.Name)]
public sealed class BuiltinProviderTests
{
    private const string Suite = TinyModels.ProbeSuite;

    private static string WriteModel(TempFolder temp) => TinyModels.WriteModel(temp, contextLength: 32);

    [Fact]
    public async Task AuditsAModelDirectoryReproducibly()
    {
        using var temp = new TempFolder();
        var directory = WriteModel(temp);
        var suite = temp.File("s.yaml", Suite);
        string[] Args(string output) => ["audit", "--suite", suite, "--provider", "builtin", "--model", directory, "--samples", "3",
            "--max-tokens", "12", "--seed", "5", "--out", temp.Sub(output)];

        var (exit, errors) = await CliHarness.RunAsync(Args("a"));
        Assert.True(exit == 0, errors);
        Assert.Equal(0, (await CliHarness.RunAsync(Args("b"))).Exit);

        Assert.Equal(6, CliHarness.StoredSamples(temp.Sub("a")).Count);
        // Same model, seed and prompts: the same outputs, sample by sample.
        Assert.Equal(CliHarness.StoredOutputs(temp.Sub("a")), CliHarness.StoredOutputs(temp.Sub("b")));
    }

    [Fact]
    public async Task AMissingOrBrokenModelDirectoryIsAnInputError()
    {
        using var temp = new TempFolder();
        var suite = temp.File("s.yaml", Suite);
        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", suite, "--provider", "builtin", "--model", temp.Sub("nothing"));
        Assert.Equal(2, exit);
        Assert.Contains("does not exist", errors);

        var directory = WriteModel(temp);
        File.WriteAllBytes(Path.Combine(directory, GptCheckpoint.WeightsFileName), [1, 2, 3]);
        (exit, errors) = await CliHarness.RunAsync("audit", "--suite", suite, "--provider", "builtin", "--model", directory);
        Assert.Equal(2, exit);
        Assert.Contains("safetensors", errors);
    }

    [Fact]
    public void TokenizerAndModelVocabulariesMustMatch()
    {
        var tokenizer = TinyModels.Tokenizer();
        using var gpt = new Gpt(new GptConfig(tokenizer.VocabularySize + 8, 32, 1, 2, 16));
        Assert.Contains("must match", Assert.Throws<FairscopeException>(() => new LanguageModel(gpt, tokenizer, "padded")).Message);
    }
}
