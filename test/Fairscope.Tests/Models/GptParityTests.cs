using static TorchSharp.torch;

namespace Fairscope.Tests;

/// <summary><see cref="Gpt"/> loaded by <see cref="GptCheckpoint"/> from a Hugging Face style checkpoint that the test
/// writes computes what an independent loop-by-loop GPT-2 (<see cref="NaiveGpt"/>) computes: the same logits and the
/// same continuation log-probabilities.</summary>
public sealed class GptParityTests : IDisposable
{
    private const double Tolerance = 1e-4;
    private readonly TempFolder _folder = new();
    private readonly NaiveGpt _naive = new(vocab: 11, context: 8, layers: 2, heads: 2, width: 8, seed: 4);

    public void Dispose() => _folder.Dispose();

    private static float[] LogitsOf(Gpt model, int[] tokens)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var logits = model.forward(tensor(tokens.Select(t => (long)t).ToArray()).unsqueeze(0));
        Assert.Equal([1L, tokens.Length, model.Config.VocabSize], logits.shape);
        return logits.data<float>().ToArray();
    }

    private void AssertMatchesNaive(Gpt model, int[] tokens)
    {
        var expected = _naive.Logits(tokens);
        var actual = LogitsOf(model, tokens);
        for (int t = 0; t < tokens.Length; t++)
        {
            for (int v = 0; v < _naive.Vocab; v++)
                Assert.True(Math.Abs(expected[t][v] - actual[t * _naive.Vocab + v]) < Tolerance, $"logit [{t}, {v}]: naive {expected[t][v]}, Gpt {actual[t * _naive.Vocab + v]}");
        }
    }

    [Fact]
    public void Loaded_checkpoint_gives_the_naive_implementations_logits()
    {
        // Arrange
        var directory = _naive.Write(_folder.Sub("tiny"));

        // Act
        using var model = GptCheckpoint.Load(directory);

        // Assert: a full context, and a shorter sequence
        Assert.Equal(new GptConfig(11, 8, 2, 2, 8, Dropout: 0.1f), model.Config);
        AssertMatchesNaive(model, [3, 1, 4, 1, 5, 9, 2, 6]);
        AssertMatchesNaive(model, [10, 0, 7]);
    }

    [Fact]
    public void Transformer_prefix_tied_head_and_mask_buffers_are_accepted_as_transformers_writes_them()
    {
        var directory = _naive.Write(_folder.Sub("hf"), tensors =>
        {
            foreach (var name in tensors.Keys.ToList())
            {
                tensors["transformer." + name] = tensors[name];
                tensors.Remove(name);
            }
            tensors["lm_head.weight"] = tensors["transformer.wte.weight"];
            for (int l = 0; l < 2; l++)
            {
                tensors[$"transformer.h.{l}.attn.bias"] = ones(1, 1, 8, 8).tril();
                tensors[$"transformer.h.{l}.attn.masked_bias"] = tensor(-1e4f);
            }
        });

        using var model = GptCheckpoint.Load(directory);

        AssertMatchesNaive(model, [3, 1, 4, 1, 5, 9, 2, 6]);
    }

    [Fact]
    public void Log_probabilities_are_the_naive_log_softmax_of_each_continuation_token()
    {
        // Arrange
        using var model = GptCheckpoint.Load(_naive.Write(_folder.Sub("tiny")));
        int[] prefix = [3, 1, 4], continuation = [1, 5, 9, 2, 6];
        var logits = _naive.Logits([.. prefix, .. continuation[..^1]]);
        var expected = continuation.Select((token, i) => NaiveGpt.LogSoftmax(logits[prefix.Length - 1 + i])[token]).ToArray();

        // Act
        var (perToken, total) = model.LogProbabilities(prefix, continuation);

        // Assert
        Assert.Equal(continuation.Length, perToken.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - perToken[i]) < Tolerance, $"token {i}: naive {expected[i]}, Gpt {perToken[i]}");
        Assert.True(Math.Abs(expected.Sum() - total) < Tolerance * continuation.Length);
        Assert.Equal(perToken.Sum(), total, 12);
    }

    [Fact]
    public void Log_probabilities_of_a_one_token_prefix_and_an_empty_continuation()
    {
        using var model = GptCheckpoint.Load(_naive.Write(_folder.Sub("tiny")));

        var (one, oneTotal) = model.LogProbabilities([7], [2]);
        var (none, noneTotal) = model.LogProbabilities([7], []);

        Assert.True(Math.Abs(NaiveGpt.LogSoftmax(_naive.Logits([7])[0])[2] - one.Single()) < Tolerance);
        Assert.Equal(one[0], oneTotal);
        Assert.Empty(none);
        Assert.Equal(0, noneTotal);
    }
}
