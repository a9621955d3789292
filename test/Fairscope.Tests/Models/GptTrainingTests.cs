using static TorchSharp.torch;

namespace Fairscope.Tests;

/// <summary><see cref="Gpt.Loss"/> (weighted, with ignored tokens) and a tiny model that overfits a toy sequence.</summary>
public sealed class GptTrainingTests
{
    [Fact]
    public void Loss_weights_token_cross_entropies_absolutely_without_ignored_or_masked_tokens()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 2, 0, -1, 0.5f, 0.5f, 0, -3, 1, 2, 0, 0, 0 }).view(1, 4, 3);
        var targets = tensor(new long[] { 0, 2, Gpt.IgnoreIndex, 1 }).view(1, 4);
        var weights = tensor(new float[] { 1, 3, 100, 0.5f }).view(1, 4);
        double Nll(int row, int target)
        {
            var values = logits[0, row].data<float>().ToArray().Select(v => (double)v).ToArray();
            return -NaiveGpt.LogSoftmax(values)[target];
        }
        double a = Nll(0, 0), b = Nll(1, 2), d = Nll(3, 1);

        Assert.Equal((a + b + d) / 3, Gpt.Loss(logits, targets).item<float>(), 5);
        // Weights are absolute: (1/N) Σ w·loss over the N = 3 tokens kept (the ignored one's weight of 100 does not count).
        Assert.Equal((1 * a + 3 * b + 0.5 * d) / 3, Gpt.Loss(logits, targets, weights).item<float>(), 5);
        // A weight of 0 masks a token out of the mean: only a and d remain.
        Assert.Equal((a + 0.5 * d) / 2, Gpt.Loss(logits, targets, tensor(new float[] { 1, 0, 1, 0.5f }).view(1, 4)).item<float>(), 5);
        Assert.Equal(0, Gpt.Loss(logits, targets, zeros(1, 4)).item<float>());
        Assert.Throws<ArgumentException>(() => Gpt.Loss(logits, targets, ones(4)));
    }

    [Fact]
    public void Tiny_model_overfits_a_toy_sequence()
    {
        // Arrange: learn to continue 0 1 2 ... 8 (next token = current + 1)
        using var scope = NewDisposeScope();
        using var model = new Gpt(new GptConfig(VocabSize: 11, ContextLength: 8, Layers: 2, Heads: 2, Width: 32), seed: 5);
        var x = arange(0, 8, ScalarType.Int64).view(1, 8);
        var y = arange(1, 9, ScalarType.Int64).view(1, 8);
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-2);
        model.train();
        float first = 0, loss = float.NaN;

        // Act
        for (int step = 0; step < 100; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var l = Gpt.Loss(model.forward(x), y);
            l.backward();
            optimizer.step();
            loss = l.item<float>();
            if (step == 0) first = loss;
        }

        // Assert
        Assert.True(first > 2, $"an untrained model is near uniform (ln 11 ≈ 2.4), got {first}");
        Assert.True(loss < 0.05, $"loss after 100 AdamW steps: {loss}");
        Assert.Equal([3, 4, 5], model.Generate([0, 1, 2], maxNewTokens: 3, temperature: 0));
    }
}
