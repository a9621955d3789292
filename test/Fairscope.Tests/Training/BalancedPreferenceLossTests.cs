using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Fairscope.Tests;

/// <summary><see cref="BalancedPreferenceLoss"/> (BPO, arXiv 2502.03429): the formula by hand, the padded
/// log-likelihoods against <see cref="Gpt.LogProbabilities(IReadOnlyList{int}, IReadOnlyList{int})"/>, validation,
/// and a skewed toy model trained towards balance.</summary>
public sealed class BalancedPreferenceLossTests(ITestOutputHelper output)
{
    private static readonly GptConfig Tiny = new(VocabSize: 24, ContextLength: 8, Layers: 1, Heads: 2, Width: 16);

    private static double Loss(double[,] logLikelihoods, double[] shares, double beta = 1)
    {
        using var scope = NewDisposeScope();
        return BalancedPreferenceLoss.BalanceLoss(tensor(logLikelihoods), shares, beta).item<double>();
    }

    [Fact]
    public void Balance_loss_matches_hand_computed_values()
    {
        // ℓ = ln 0.5 and ln 0.25: log-odds ln(0.5/0.5) = 0 and ln(0.25/0.75) = −ln 3, so Δ = ln 3, σ(Δ) = 3/4,
        // and the loss is ln(1 + (3/4 − 1/2)²) = ln(1.0625) = 0.0606246218.
        double half = Math.Log(0.5), quarter = Math.Log(0.25), expected = Math.Log(1.0625);
        Assert.Equal(expected, Loss(new[,] { { half, quarter } }, [0.5, 0.5]), 9);
        Assert.Equal(2 * expected, Loss(new[,] { { half, quarter } }, [0.5, 0.5], beta: 2), 9);
        // Swapping the groups flips Δ's sign; (σ(−Δ) − ½)² is the same.
        Assert.Equal(expected, Loss(new[,] { { quarter, half } }, [0.5, 0.5]), 9);
        // A balanced second set contributes 0 to the mean over sets: 0.0606246 / 2.
        Assert.Equal(expected / 2, Loss(new[,] { { half, quarter }, { half, half } }, [0.5, 0.5]), 9);
        // Target shares 3/4 and 1/4: the offset ln 3 cancels Δ = ln 3 (the model's odds ratio is the target's): 0.
        Assert.Equal(0, Loss(new[,] { { half, quarter } }, [0.75, 0.25]), 9);
        // Three groups, cyclic pairs (0,1), (1,2), (2,0) with log-odds 0, −ln 3, 0: Δ = ln 3, −ln 3, 0, so the mean is
        // (0.0606246 + 0.0606246 + 0) / 3 = 0.0404164.
        Assert.Equal(2 * expected / 3, Loss(new[,] { { half, quarter, half } }, [1.0 / 3, 1.0 / 3, 1.0 / 3]), 9);
    }

    [Fact]
    public void Balance_loss_stays_finite_with_gradients_when_the_model_is_certain()
    {
        using var scope = NewDisposeScope();
        var logLikelihoods = tensor(new[,] { { 0.0, Math.Log(0.25) } }).requires_grad_();
        var loss = BalancedPreferenceLoss.BalanceLoss(logLikelihoods, [0.5, 0.5]);
        loss.backward();

        // ℓ = 0 is capped at −10⁻⁹: log-odds ≈ 20.7, σ(Δ) ≈ 1, loss ≈ ln 1.25.
        Assert.Equal(Math.Log(1.25), loss.item<double>(), 6);
        Assert.All(logLikelihoods.grad!.data<double>().ToArray(), g => Assert.True(double.IsFinite(g)));
    }

    [Fact]
    public void Log_likelihoods_of_padded_rows_are_the_per_token_means_of_LogProbabilities()
    {
        using var model = new Gpt(Tiny, seed: 1);
        // Prompts and completions of different lengths, so most rows are padded.
        PreferenceSet[] sets =
        [
            new([1, 2, 3], [[4], [5, 6, 7]]),
            new([8], [[9, 10], [11]]),
            new([12, 13, 14, 15, 16], [[17, 18, 19], [20]]),
        ];

        var means = BalancedPreferenceLoss.MeanLogLikelihoods(model, sets);

        for (int g = 0; g < 2; g++)
        {
            double expected = sets.Average(set => model.LogProbabilities(set.Prompt, set.Completions[g]).Total / set.Completions[g].Count);
            Assert.Equal(expected, means[g], 5);
        }
    }

    [Fact]
    public void Training_on_BPO_alone_moves_a_model_that_prefers_she_towards_balance()
    {
        // Arrange: a tiny model fine-tuned to continue "The nurse said that" with " she".
        var tokenizer = TinyModels.Tokenizer();
        using var model = new Gpt(new GptConfig(tokenizer.VocabularySize, ContextLength: 16, Layers: 1, Heads: 2, Width: 32), seed: 1);
        var prompt = tokenizer.Encode("The nurse said that");
        int[] she = tokenizer.Encode(" she"), he = tokenizer.Encode(" he");
        new LanguageModelTrainer(new TrainerConfig(Steps: 15, BatchSize: 4, WarmupSteps: 0, LearningRate: 1e-2, Seed: 1))
            .Train(model, [new TrainingExample([.. prompt, .. she])]);
        PreferenceSet[] sets = [new(prompt, [she, he])];
        var before = BalancedPreferenceLoss.MeanLogLikelihoods(model, sets);

        // Act: BPO alone, no examples.
        var bpo = new BalancedPreferenceLoss(model.Config, sets, setsPerStep: 2);
        var result = new LanguageModelTrainer(new TrainerConfig(Steps: 20, BatchSize: 1, WarmupSteps: 0, LearningRate: 1e-2, Seed: 1))
            .Train(model, [], auxiliary: bpo);
        var after = BalancedPreferenceLoss.MeanLogLikelihoods(model, sets);

        // Assert
        output.WriteLine($"ℓ(she), ℓ(he): before {before[0]:F3}, {before[1]:F3}; after {after[0]:F3}, {after[1]:F3}; " +
            $"BPO loss {result.AuxiliaryLosses[0]:F4} -> {result.AuxiliaryLosses[^1]:F4}");
        Assert.True(before[0] - before[1] > 2, $"the fine-tuned model should prefer she: {before[0]} vs {before[1]}");
        Assert.True(Math.Abs(after[0] - after[1]) < Math.Abs(before[0] - before[1]) / 2, $"gap {before[0] - before[1]} -> {after[0] - after[1]}");
        Assert.True(result.AuxiliaryLosses[^1] < result.AuxiliaryLosses[0]);
        Assert.All(result.Losses, loss => Assert.Equal(0, loss));
    }

    [Fact]
    public void Bad_sets_and_settings_are_rejected_with_clear_messages()
    {
        PreferenceSet good = new([1, 2], [[3], [4]]);
        string Problem(Func<BalancedPreferenceLoss> build) => Assert.Throws<FairscopeException>(() => build()).Message;

        Assert.Contains("no preference sets", Problem(() => new(Tiny, [])));
        Assert.Contains("at least 2 groups", Problem(() => new(Tiny, [new([1], [[2]])])));
        Assert.Contains("set 1 has 3 completions but set 0 has 2", Problem(() => new(Tiny, [good, new([1], [[2], [3], [4]])])));
        Assert.Contains("set 1 has an empty prompt", Problem(() => new(Tiny, [good, new([], [[2], [3]])])));
        Assert.Contains("set 0, group 1: the completion is empty", Problem(() => new(Tiny, [new([1], [[2], []])])));
        Assert.Contains("token 24 (at 0) outside the vocabulary", Problem(() => new(Tiny, [new([1], [[2], [24]])])));
        // 5 prompt tokens and a 5-token completion need 9 positions; the context holds 8.
        Assert.Contains("set 0, group 0: the prompt (5 tokens) and completion (5) need 9 positions; the model's context length is 8",
            Problem(() => new(Tiny, [new([1, 2, 3, 4, 5], [[1, 2, 3, 4, 5], [6]])])));
        Assert.Contains("2 target shares for 3 groups", Problem(() => new(Tiny, [new([1], [[2], [3], [4]])], [0.5, 0.5])));
        Assert.Contains("positive and sum to 1", Problem(() => new(Tiny, [good], [0.7, 0.7])));
        Assert.Contains("positive and sum to 1", Problem(() => new(Tiny, [good], [1.0, 0.0])));
        Assert.Contains("β must be", Problem(() => new(Tiny, [good], beta: 0)));
        Assert.Contains("sets per step", Problem(() => new(Tiny, [good], setsPerStep: 0)));

        using var other = new Gpt(Tiny with { ContextLength = 4 });
        Assert.Contains("built for a model shaped", Assert.Throws<FairscopeException>(() => new BalancedPreferenceLoss(Tiny, [good]).Compute(other, new Random(1))).Message);
    }
}
