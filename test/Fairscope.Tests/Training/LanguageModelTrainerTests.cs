using static TorchSharp.torch;

namespace Fairscope.Tests;

/// <summary><see cref="LanguageModelTrainer"/> on toy data: determinism, token weights, overfitting, evaluation,
/// epoch resampling and auxiliary losses.</summary>
public sealed class LanguageModelTrainerTests
{
    private static readonly GptConfig Tiny = new(VocabSize: 24, ContextLength: 8, Layers: 1, Heads: 2, Width: 16);

    private static float[] Logits(Gpt model, int[] tokens)
    {
        using var scope = NewDisposeScope();
        model.eval();
        using var _ = no_grad();
        return model.forward(tensor(tokens.Select(t => (long)t).ToArray()).view(1, -1)).data<float>().ToArray();
    }

    private static List<TrainingExample> RandomExamples(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => new TrainingExample(Enumerable.Range(0, random.Next(3, 14)).Select(_ => random.Next(Tiny.VocabSize)).ToArray()))
            .ToList();
    }

    [Fact]
    public void Equal_seeds_give_identical_weights_and_another_seed_does_not()
    {
        // Examples both shorter (padded) and longer (random windows) than the context. Dropout stays 0: it would draw
        // from torch's process-wide generator, which tests running in parallel share.
        var examples = RandomExamples(20, seed: 1);
        float[] Run(int seed)
        {
            using var model = new Gpt(Tiny, seed: 3);
            new LanguageModelTrainer(new TrainerConfig(Steps: 12, BatchSize: 4, WarmupSteps: 2, LearningRate: 1e-2, Seed: seed)).Train(model, examples);
            return Logits(model, [1, 2, 3, 4]);
        }

        var first = Run(7);
        var second = Run(7);
        var other = Run(8);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void A_token_of_weight_zero_is_left_out_of_the_loss_like_an_ignored_target()
    {
        // Arrange: two examples that differ only in their last token, weighted 0 there
        var config = new TrainerConfig(Steps: 5, BatchSize: 2, WarmupSteps: 0, LearningRate: 1e-2, Seed: 2);
        int[] a = [5, 6, 7, 8, 9], b = [5, 6, 7, 8, 20];
        float[] w = [1, 1, 1, 1, 0];
        float[] Train(int[] tokens)
        {
            using var model = new Gpt(Tiny, seed: 4);
            new LanguageModelTrainer(config).Train(model, [new TrainingExample(tokens, w)]);
            return Logits(model, [5, 6, 7, 8]);
        }

        // Act + Assert: the masked token has no influence on training at all
        Assert.Equal(Train(a), Train(b));

        // ...and evaluation with weight 0 equals Gpt.Loss with that target set to IgnoreIndex
        using var scope = NewDisposeScope();
        using var model = new Gpt(Tiny, seed: 4);
        var evaluation = new LanguageModelTrainer(config).Evaluate(model, [new TrainingExample(a, w)]);
        model.eval();
        using var _ = no_grad();
        var logits = model.forward(tensor(new long[] { 5, 6, 7, 8 }).view(1, 4));
        var ignored = Gpt.Loss(logits, tensor(new long[] { 6, 7, 8, Gpt.IgnoreIndex }).view(1, 4)).item<float>();
        Assert.Equal(ignored, evaluation.Loss, 5);
        Assert.Equal(3, evaluation.Tokens);
    }

    [Fact]
    public void Evaluation_weighs_tokens_and_scores_long_examples_in_consecutive_windows()
    {
        using var scope = NewDisposeScope();
        using var model = new Gpt(Tiny, seed: 6);
        var trainer = new LanguageModelTrainer(new TrainerConfig(Steps: 1, BatchSize: 2, WarmupSteps: 0));
        int[] tokens = Enumerable.Range(0, 20).Select(i => (i * 7) % 24).ToArray(); // 19 targets: windows of 8, 8, 3

        var plain = trainer.Evaluate(model, [new TrainingExample(tokens)]);
        var doubled = trainer.Evaluate(model, [TrainingExample.Weighted(tokens, 2f)]);

        // By hand: the same windows, token by token, through LogProbabilities.
        double total = 0;
        foreach (int start in new[] { 0, 8, 16 })
        {
            int end = Math.Min(start + 8, tokens.Length - 1);
            for (int t = start + 1; t <= end; t++) total -= model.LogProbabilities(tokens[start..t], [tokens[t]]).Total;
        }
        Assert.Equal(19, plain.Tokens);
        Assert.Equal(total / 19, plain.Loss, 4);
        Assert.Equal(plain.Loss, doubled.Loss, 5); // a uniform weight changes nothing
        Assert.Equal(Math.Exp(plain.Loss), plain.Perplexity, 9);
    }

    [Fact]
    public void Overfits_a_toy_sequence_longer_than_the_context()
    {
        // Arrange: count 0 .. 22 (next token = current + 1); each draw is a random window of the context length
        using var model = new Gpt(Tiny with { Layers = 2, Width = 32 }, seed: 5);
        var example = new TrainingExample(Enumerable.Range(0, 23).ToArray());
        var trainer = new LanguageModelTrainer(new TrainerConfig(Steps: 150, BatchSize: 8, LearningRate: 1e-2, WarmupSteps: 10,
            MinLearningRate: 1e-3, WeightDecay: 0, Seed: 1));
        var reports = new List<TrainingProgress>();

        // Act
        var result = trainer.Train(model, [example], heldOut: [example], progress: new SynchronousProgress<TrainingProgress>(reports.Add));

        // Assert
        Assert.True(result.Losses[0] > 2.5, $"an untrained model is near uniform (ln 24 ≈ 3.2), got {result.Losses[0]}");
        Assert.True(result.FinalLoss < 0.05, $"final training loss {result.FinalLoss}");
        Assert.True(result.FinalEvaluation!.Perplexity < 1.1, $"held-out perplexity {result.FinalEvaluation.Perplexity}");
        Assert.Equal([12, 13, 14, 15], model.Generate([8, 9, 10, 11], maxNewTokens: 4, temperature: 0));
        Assert.Equal(150, result.Losses.Count);
        Assert.Equal(Enumerable.Range(1, 150), reports.Select(r => r.Step));
        Assert.Equal(150L * 8 * 8, result.Tokens);
        Assert.True(result.TokensPerSecond > 0);
        Assert.Equal(trainer.Config.LearningRateAt(0), reports[0].LearningRate);
        Assert.NotNull(reports[^1].Evaluation);
    }

    /// <summary>Returns the same epoch every time.</summary>
    private sealed class FixedEpoch(params int[] indices) : IEpochResampler
    {
        public IReadOnlyList<int> NextEpoch(Random random) => indices;
    }

    /// <summary>A tenth of the squared norm of the token embedding: a scalar with gradients, or a vector when asked.</summary>
    private sealed class EmbeddingNorm(bool scalar = true) : IAuxiliaryLoss
    {
        public string Name => "norm";

        public Tensor Compute(Gpt model, Random random)
        {
            var squares = model.parameters().First().square() * 0.1;
            return scalar ? squares.sum() : squares.sum(1);
        }
    }

    [Fact]
    public void A_resampler_choosing_only_example_0_trains_as_if_it_were_the_only_example()
    {
        var examples = RandomExamples(5, seed: 3);
        var config = new TrainerConfig(Steps: 6, BatchSize: 3, WarmupSteps: 1, LearningRate: 1e-2, Seed: 4);
        float[] Train(IReadOnlyList<TrainingExample> trainOn, IEpochResampler? resampler)
        {
            using var model = new Gpt(Tiny, seed: 2);
            new LanguageModelTrainer(config).Train(model, trainOn, resampler: resampler);
            return Logits(model, [1, 2, 3]);
        }

        var onlyFirst = Train(examples, new FixedEpoch(0));

        Assert.Equal(Train([examples[0]], null), onlyFirst);
        Assert.NotEqual(Train(examples, null), onlyFirst);
    }

    [Fact]
    public void Anti_stereotype_debiasing_plugs_in_as_the_resampler_and_training_stays_deterministic()
    {
        // Six examples labelled as AntiStereotypeDebiasingTests' nurses and pilots: some epochs drop or repeat some.
        var examples = RandomExamples(6, seed: 5);
        (string, string)[] labels = [("nurse", "female"), ("nurse", "female"), ("nurse", "female"), ("nurse", "male"), ("pilot", "female"), ("pilot", "male")];
        var uniform = new Dictionary<string, double> { ["female"] = 0.5, ["male"] = 0.5 };
        float[] Train(bool debias)
        {
            using var model = new Gpt(Tiny, seed: 2);
            // A fresh instance per run: its accumulators carry over from epoch to epoch.
            var resampler = debias ? new AntiStereotypeDebiasing(labels, uniform) : null;
            new LanguageModelTrainer(new TrainerConfig(Steps: 10, BatchSize: 4, WarmupSteps: 1, LearningRate: 1e-2, Seed: 6))
                .Train(model, examples, resampler: resampler);
            return Logits(model, [1, 2, 3]);
        }

        var debiased = Train(debias: true);

        Assert.Equal(Train(debias: true), debiased);
        Assert.NotEqual(Train(debias: false), debiased);
    }

    [Fact]
    public void A_resampled_epoch_must_hold_examples_in_range()
    {
        using var model = new Gpt(Tiny);
        var trainer = new LanguageModelTrainer(new TrainerConfig(Steps: 1, WarmupSteps: 0));
        TrainingExample[] examples = [new([1, 2]), new([3, 4])];

        var empty = Assert.Throws<FairscopeException>(() => trainer.Train(model, examples, resampler: new FixedEpoch()));
        var outside = Assert.Throws<FairscopeException>(() => trainer.Train(model, examples, resampler: new FixedEpoch(0, 2)));

        Assert.Contains("chose no examples for epoch 1", empty.Message);
        Assert.Contains("chose example 2 for epoch 1, outside the 2 training examples", outside.Message);
    }

    [Fact]
    public void An_auxiliary_loss_is_added_to_each_step_reported_and_can_train_alone()
    {
        var config = new TrainerConfig(Steps: 5, BatchSize: 2, WarmupSteps: 0, LearningRate: 1e-2, WeightDecay: 0, Seed: 1);
        var examples = RandomExamples(4, seed: 7);
        using var model = new Gpt(Tiny, seed: 2);
        var reports = new List<TrainingProgress>();

        var plain = new LanguageModelTrainer(config).Train(model, examples, progress: new SynchronousProgress<TrainingProgress>(reports.Add));
        Assert.Empty(plain.AuxiliaryLosses);
        Assert.All(reports, r => Assert.Null(r.AuxiliaryLoss));

        // With examples: both losses per step, and the auxiliary one changes the update.
        reports.Clear();
        using var withAuxiliary = new Gpt(Tiny, seed: 2);
        var both = new LanguageModelTrainer(config).Train(withAuxiliary, examples, auxiliary: new EmbeddingNorm(),
            progress: new SynchronousProgress<TrainingProgress>(reports.Add));
        Assert.Equal(plain.Losses[0], both.Losses[0]);
        Assert.Equal(5, both.AuxiliaryLosses.Count);
        Assert.Equal(both.AuxiliaryLosses, reports.Select(r => r.AuxiliaryLoss!.Value));
        Assert.NotEqual(Logits(model, [1, 2]), Logits(withAuxiliary, [1, 2]));

        // Without examples: the auxiliary loss alone, which the steps drive down.
        using var alone = new Gpt(Tiny, seed: 2);
        var auxiliaryOnly = new LanguageModelTrainer(config).Train(alone, [], auxiliary: new EmbeddingNorm());
        Assert.All(auxiliaryOnly.Losses, loss => Assert.Equal(0, loss));
        Assert.Equal(0, auxiliaryOnly.Tokens);
        Assert.True(auxiliaryOnly.AuxiliaryLosses[^1] < auxiliaryOnly.AuxiliaryLosses[0], string.Join(", ", auxiliaryOnly.AuxiliaryLosses));

        var vector = Assert.Throws<FairscopeException>(() => new LanguageModelTrainer(config).Train(alone, [], auxiliary: new EmbeddingNorm(scalar: false)));
        Assert.Contains("auxiliary loss norm must be a scalar", vector.Message);
    }

    [Fact]
    public void Bad_examples_are_rejected_by_index()
    {
        using var model = new Gpt(Tiny);
        var trainer = new LanguageModelTrainer(new TrainerConfig(Steps: 1, WarmupSteps: 0));

        Assert.Contains("no training examples", Assert.Throws<FairscopeException>(() => trainer.Train(model, [])).Message);
        Assert.Contains("example 1", Assert.Throws<FairscopeException>(() => trainer.Train(model, [new([1, 2]), new([3])])).Message);
        Assert.Contains("outside the vocabulary", Assert.Throws<FairscopeException>(() => trainer.Train(model, [new([1, 24])])).Message);
        Assert.Contains("weights", Assert.Throws<FairscopeException>(() => trainer.Train(model, [new([1, 2], [1])])).Message);
        Assert.Contains("finite", Assert.Throws<FairscopeException>(() => trainer.Train(model, [new([1, 2], [1, -1])])).Message);
    }
}
