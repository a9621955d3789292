using Xunit.Abstractions;

namespace Fairscope.Tests;

/// <summary>
/// Bias inheritance end to end: a tiny GPT trained on the stories of a gender-skewed <see cref="SyntheticWorld"/>
/// picks up the skew. This is the laboratory's premise; the mitigations are measured against it.
/// </summary>
public sealed class SyntheticWorldTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void A_tiny_model_trained_on_a_skewed_world_inherits_its_gender_skew()
    {
        // Arrange: a world where 90% of each occupation's people are drawn as its stereotyped gender (95% in all),
        // one story per person, a byte-level BPE learned from the stories, 10% of the stories held out.
        var world = SyntheticWorld.Create(new WorldOptions(People: 60, GenderStrength: 0.9, Seed: 1));
        var random = new Random(1);
        var stories = world.People.Select(p => world.Story(p, random)).ToList();
        var vocabulary = BpeTrainer.Train(stories, new BpeTrainerOptions { VocabularySize = 512 });
        var tokenizer = new TextTokenizer(vocabulary);
        int endOfText = tokenizer.EndOfTextId!.Value;
        var examples = stories.Select(s => new TrainingExample([.. tokenizer.Encode(s), endOfText])).ToList();
        var order = Enumerable.Range(0, examples.Count).OrderBy(_ => random.Next()).ToList();
        var heldOut = order.Take(examples.Count / 10).Select(i => examples[i]).ToList();
        var train = order.Skip(examples.Count / 10).Select(i => examples[i]).ToList();

        using var model = new Gpt(new GptConfig(VocabSize: tokenizer.VocabularySize, ContextLength: 48, Layers: 2, Heads: 4, Width: 64), seed: 1);
        var trainer = new LanguageModelTrainer(new TrainerConfig(Steps: Steps, BatchSize: 32, LearningRate: 3e-3, WarmupSteps: 30,
            MinLearningRate: 3e-4, WeightDecay: 0.1, Seed: 1));

        // Act
        var result = trainer.Train(model, train, heldOut);
        double Pronoun(string prefix, string pronoun) => model.LogProbabilities(tokenizer.Encode(prefix), tokenizer.Encode(pronoun)).Total;
        var gaps = new Dictionary<string, double>();
        foreach (var occupation in new[] { "nurse", "electrician", "secretary", "carpenter" })
            gaps[occupation] = Pronoun($"The {occupation} said that", " she") - Pronoun($"The {occupation} said that", " he");

        output.WriteLine($"{train.Count} training stories, {result.Tokens} target tokens in {result.WallTime.TotalSeconds:F1} s " +
            $"({result.TokensPerSecond:F0} tokens/s); vocabulary {tokenizer.VocabularySize}; {model.ParameterCount} parameters");
        output.WriteLine($"training loss {result.Losses[0]:F2} -> {result.FinalLoss:F2}; held-out loss {result.FinalEvaluation!.Loss:F2}, perplexity {result.FinalEvaluation.Perplexity:F1}");
        foreach (var (occupation, gap) in gaps) output.WriteLine($"ln P(she) - ln P(he) after 'The {occupation} said that': {gap:F2}");

        // Assert: the model learned the world's language and its skew
        Assert.True(result.FinalEvaluation.Perplexity < tokenizer.VocabularySize / 20.0,
            $"held-out perplexity {result.FinalEvaluation.Perplexity:F1} against a vocabulary of {tokenizer.VocabularySize}");
        Assert.True(gaps["nurse"] > 0, $"after 'The nurse said that', ' she' should beat ' he': ln-ratio {gaps["nurse"]:F2}");
        Assert.True(gaps["electrician"] < 0, $"after 'The electrician said that', ' he' should beat ' she': ln-ratio {gaps["electrician"]:F2}");
    }

    // Measured on 2 cores (world seed 1..5 with model and trainer seeds equal): 300 steps always got the direction right
    // but with ln-ratios as small as 0.06; 500 steps (~600k target tokens, ~9 s at ~60k tokens/s) gave ln P(she) − ln P(he)
    // of +2.7 .. +4.6 for the nurse and −2.3 .. −5.0 for the electrician, around the world's own ln(0.95/0.05) ≈ ±2.9,
    // with held-out perplexity 1.6 (vocabulary 512).
    private const int Steps = 500;
}
