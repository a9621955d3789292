namespace Fairscope.Tests;

/// <summary>Small untrained models with a tokenizer trained on a few synthetic-world stories, for provider and serve tests.</summary>
internal static class TinyModels
{
    /// <summary>Two completion-style probes measuring perceived gender.</summary>
    public const string ProbeSuite = """
        name: probes
        attributes:
          gender: {categories: [female, male]}
        prompts:
          - {id: nurse, text: "The nurse said that"}
          - {id: pilot, text: "The pilot said that"}
        """;

    /// <summary>A 300-token byte-level BPE trained on world stories.</summary>
    public static TextTokenizer Tokenizer()
    {
        var world = SyntheticWorld.Create(new WorldOptions(People: 5, Seed: 1));
        var random = new Random(1);
        return new TextTokenizer(BpeTrainer.Train(world.People.Select(p => world.Story(p, random)), new BpeTrainerOptions { VocabularySize = 300 }));
    }

    /// <summary>Saves a one-layer model with <paramref name="contextLength"/> positions as a model directory and returns its path.</summary>
    public static string WriteModel(TempFolder temp, int contextLength)
    {
        var tokenizer = Tokenizer();
        using var model = new LanguageModel(new Gpt(new GptConfig(tokenizer.VocabularySize, contextLength, 1, 2, 16), seed: 3), tokenizer, "test");
        var directory = temp.Sub("model");
        model.Save(directory);
        return directory;
    }
}
