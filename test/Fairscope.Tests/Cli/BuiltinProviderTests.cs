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
    public async Task ABatchGivesEachRequestTheCompletionOfItsPromptAndSeed()
    {
        using var temp = new TempFolder();
        var suite = SuiteLoader.Parse(Suite, "probes.yaml");
        var (nurse, pilot) = (suite.Prompts[0], suite.Prompts[1]);
        var options = new GenerationOptions { MaxOutputTokens = 12, Temperature = 1, SystemPrompt = "Answer briefly." };
        var model = LanguageModel.Load(WriteModel(temp));
        using ISampleGenerator generator = new BuiltinSampleGenerator(model, options);
        SampleRequest[] requests = [new(nurse, 0, 11), new(pilot, 0, 12), new(nurse, 1, 13), new(nurse, 2, 11)];

        var samples = await generator.GenerateBatchAsync(requests, CancellationToken.None);

        Assert.Equal(BuiltinSampleGenerator.RowsPerBatch, generator.BatchSize);
        var expected = requests.Select(r => model.Complete("Answer briefly.\n" + r.Prompt.Text, 12, 1, r.Seed))
            .Select(c => new GeneratedSample(c.Text, c.EndOfText ? "stop" : "length"));
        Assert.Equal(expected, samples);
        Assert.Equal(samples[0], samples[3]); // same prompt and seed in one batch: the same sample
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
