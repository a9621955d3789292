using static TorchSharp.torch;

namespace Fairscope.Tests;

/// <summary><see cref="GptCheckpoint"/>: exact round trips in Hugging Face GPT-2 layout with training metadata, and
/// one clear error per kind of bad checkpoint.</summary>
public sealed class GptCheckpointTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly NaiveGpt _naive = new(vocab: 11, context: 8, layers: 2, heads: 2, width: 8, seed: 4);

    public void Dispose() => _folder.Dispose();

    private static float[] Logits(Gpt model)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return model.forward(tensor(new long[] { 3, 1, 4, 1, 5, 9, 2, 6 }).view(2, 4)).data<float>().ToArray();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Save_then_load_gives_identical_logits_and_metadata(bool bias)
    {
        // Arrange: a freshly initialised model, its biases and gains made non-trivial
        using var model = new Gpt(new GptConfig(11, 8, 2, 2, 8, Bias: bias), seed: 9);
        using (no_grad())
        {
            foreach (var parameter in model.parameters()) parameter.add_(rand_like(parameter) * 0.1);
        }
        model.eval();
        var directory = _folder.Sub("checkpoint");

        // Act
        GptCheckpoint.Save(model, directory, step: 1234, seed: 9);
        using var loaded = GptCheckpoint.Load(directory);

        // Assert
        Assert.Equal(model.Config, loaded.Config);
        Assert.Equal(Logits(model), Logits(loaded));
        Assert.Equal((1234L, (long?)9), GptCheckpoint.ReadTrainingState(directory));
        var header = SafetensorsHeader.Read(Path.Combine(directory, GptCheckpoint.WeightsFileName));
        Assert.Equal("pt", header.Metadata["format"]);
        Assert.Equal([8L, 24L], header.Find("h.0.attn.c_attn.weight")!.Shape); // Conv1D layout (in, out)
        Assert.Equal([32L, 8L], header.Find("h.1.mlp.c_proj.weight")!.Shape);
        Assert.Equal(bias ? 28 : 15, header.Tensors.Count); // 2 embeddings, 12 (or 6 without biases) per layer, ln_f
    }

    [Fact]
    public void Saved_tensor_names_are_exactly_gpt2s()
    {
        var directory = _folder.Sub("names");
        using var model = GptCheckpoint.Load(_naive.Write(_folder.Sub("tiny")));

        GptCheckpoint.Save(model, directory);

        var header = SafetensorsHeader.Read(Path.Combine(directory, GptCheckpoint.WeightsFileName));
        Assert.Equal(_naive.Weights.Keys.Order(StringComparer.Ordinal), header.Names.Order(StringComparer.Ordinal));
        foreach (var (name, (_, shape)) in _naive.Weights) Assert.Equal(shape, header.Find(name)!.Shape);
        Assert.Equal((0L, (long?)null), GptCheckpoint.ReadTrainingState(directory));
        Assert.Equal(GptConfig.Load(Path.Combine(directory, "config.json")), model.Config);
    }

    [Fact]
    public void Missing_tensor_is_named()
    {
        var directory = _naive.Write(_folder.Sub("missing"), t => t.Remove("h.1.mlp.c_fc.bias"));

        var e = Assert.Throws<FairscopeException>(() => GptCheckpoint.Load(directory));

        Assert.Contains("model.safetensors: not a loadable GPT-2 checkpoint: missing 1 tensor(s) the config needs: 'h.1.mlp.c_fc.bias'", e.Message);
    }

    [Fact]
    public void Wrong_shape_names_the_tensor_and_both_shapes()
    {
        // A Linear's (out, in) layout where GPT-2's Conv1D (in, out) belongs
        var directory = _naive.Write(_folder.Sub("shape"), t => t["h.0.attn.c_attn.weight"] = t["h.0.attn.c_attn.weight"].t());

        var e = Assert.Throws<FairscopeException>(() => GptCheckpoint.Load(directory));

        Assert.Contains("tensor 'h.0.attn.c_attn.weight' has shape [24, 8], but config.json (n_layer 2, n_head 2, n_embd 8, vocab_size 11, n_positions 8) needs [8, 24]", e.Message);
    }

    [Fact]
    public void Unexpected_tensor_is_named()
    {
        var directory = _naive.Write(_folder.Sub("extra"), t => t["h.2.ln_1.weight"] = ones(8));

        var e = Assert.Throws<FairscopeException>(() => GptCheckpoint.Load(directory));

        Assert.Contains("unexpected tensor(s) this GPT config has no place for: 'h.2.ln_1.weight'", e.Message);
    }

    [Fact]
    public void Tensor_given_with_and_without_the_prefix_is_an_error()
    {
        var directory = _naive.Write(_folder.Sub("twice"), t => t["transformer.ln_f.bias"] = t["ln_f.bias"]);

        var e = Assert.Throws<FairscopeException>(() => GptCheckpoint.Load(directory));

        Assert.Contains("tensor 'ln_f.bias' appears twice, as 'ln_f.bias' and 'transformer.ln_f.bias'", e.Message);
    }

    [Fact]
    public void Bad_config_json_fails_before_the_weights_are_read()
    {
        var directory = _naive.Write(_folder.Sub("config"));
        var configPath = Path.Combine(directory, "config.json");
        File.WriteAllText(configPath, _naive.ConfigJson().Replace("\"n_embd\": 8", "\"n_embd\": 9"));

        var e = Assert.Throws<FairscopeException>(() => GptCheckpoint.Load(directory));

        Assert.Equal($"{configPath}: invalid GPT config: n_embd (9) must be divisible by n_head (2)", e.Message);
        File.Delete(configPath);
        Assert.Equal($"{configPath}: GPT config not found", Assert.Throws<FairscopeException>(() => GptCheckpoint.Load(directory)).Message);
    }
}
