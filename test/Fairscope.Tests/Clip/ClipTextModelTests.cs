using static TorchSharp.torch;

namespace Fairscope.Tests;

/// <summary><see cref="ClipTextModel"/> loaded from checkpoints the test writes computes what the loop-by-loop
/// <see cref="NaiveClipText"/> computes, under each naming the loader accepts; it saves and loads back unchanged; and a
/// bad checkpoint is one <see cref="FairscopeException"/> naming the file.</summary>
public sealed class ClipTextModelTests : IDisposable
{
    private const double Tolerance = 1e-4;
    private static readonly ClipTextConfig Tiny = new(VocabSize: 50, Width: 16, Layers: 2, Heads: 2, MaxPositions: 8, IntermediateSize: 32);
    private static readonly int[] Tokens = [49, 3, 17, 0, 48, 48, 48, 48];
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // Writes the tiny random checkpoint under prefix, plus extra tensors, to a file; returns its path.
    private string WriteCheckpoint(string name, string prefix = "", Action<Dictionary<string, Tensor>>? edit = null)
    {
        Directory.CreateDirectory(_folder.Sub(name));
        string path = Path.Combine(_folder.Sub(name), "model.safetensors");
        using var scope = NewDisposeScope();
        var tensors = NaiveClipText.RandomWeights(Tiny, seed: 7, prefix);
        edit?.Invoke(tensors);
        SafetensorsWriter.Write(path, tensors);
        return path;
    }

    private static float[] HiddenOf(ClipTextModel model, int[] tokens)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var hidden = model.forward(tensor(tokens.Select(t => (long)t).ToArray()).unsqueeze(0));
        Assert.Equal([1L, tokens.Length, model.Config.Width], hidden.shape);
        return hidden.data<float>().ToArray();
    }

    private static void AssertMatches(NaiveClipText naive, ClipTextModel model, int[] tokens)
    {
        var expected = naive.Hidden(tokens);
        var actual = HiddenOf(model, tokens);
        int C = naive.Config.Width;
        for (int t = 0; t < tokens.Length; t++)
        {
            for (int c = 0; c < C; c++)
                Assert.True(Math.Abs(expected[t][c] - actual[t * C + c]) < Tolerance, $"hidden [{t}, {c}]: naive {expected[t][c]}, ClipTextModel {actual[t * C + c]}");
        }
    }

    [Fact]
    public void Hugging_Face_directory_with_config_gives_the_naive_hidden_states()
    {
        // Arrange
        string weights = WriteCheckpoint("hf");
        Tiny.Save(Path.Combine(_folder.Sub("hf"), "config.json"));

        // Act
        using var model = ClipTextModel.Load(_folder.Sub("hf"));

        // Assert: a full context and a shorter sequence
        Assert.Equal(Tiny, model.Config);
        var naive = NaiveClipText.Read(weights, Tiny);
        AssertMatches(naive, model, Tokens);
        AssertMatches(naive, model, [5, 9, 2]);
    }

    [Fact]
    public void Stable_Diffusion_single_file_reads_only_the_text_encoder_and_infers_its_shape()
    {
        // Arrange: SD 1.x naming, beside U-Net and VAE tensors and a position_ids buffer (float here: the header
        // reader does not take integer dtypes yet)
        const string prefix = "cond_stage_model.transformer.";
        string weights = WriteCheckpoint("sd", prefix, tensors =>
        {
            tensors["model.diffusion_model.input_blocks.0.0.weight"] = randn(4, 4);
            tensors["first_stage_model.decoder.conv_in.bias"] = randn(3);
            tensors[prefix + "text_model.embeddings.position_ids"] = arange(8, ScalarType.Float32).unsqueeze(0);
        });

        // Act: no config.json; heads given, as the weights do not record them
        using var model = ClipTextModel.Load(weights, heads: 2);

        // Assert
        Assert.Equal(Tiny, model.Config);
        AssertMatches(NaiveClipText.Read(weights, Tiny, prefix), model, Tokens);
    }

    [Fact]
    public void Sdxl_first_encoder_is_found_in_a_diffusers_text_encoder_directory_and_heads_default_to_one_per_64_channels()
    {
        WriteCheckpoint(Path.Combine("sdxl", "text_encoder"), "conditioner.embedders.0.transformer.");

        using var model = ClipTextModel.Load(_folder.Sub("sdxl"));

        Assert.Equal(Tiny with { Heads = 1 }, model.Config); // width 16 < 64: one head
        Assert.Contains(model.named_parameters(), p => p.name == "text_model.encoder.layers.1.mlp.fc2.bias");
    }

    [Fact]
    public void Save_then_load_round_trips_every_parameter_and_the_config()
    {
        // Arrange
        using var model = new ClipTextModel(Tiny, seed: 3);
        model.Save(_folder.Sub("saved"));

        // Act
        using var loaded = ClipTextModel.Load(_folder.Sub("saved"));

        // Assert
        Assert.Equal(Tiny, loaded.Config);
        var expected = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in loaded.named_parameters())
            Assert.True(parameter.equal(expected[name]).all().item<bool>(), name);
        Assert.Equal(HiddenOf(model, Tokens), HiddenOf(loaded, Tokens));
        Assert.Contains("\"hidden_act\": \"quick_gelu\"", File.ReadAllText(Path.Combine(_folder.Sub("saved"), "config.json")));
    }

    [Fact]
    public void End_of_text_embeddings_are_the_hidden_states_at_each_prompts_first_end_of_text()
    {
        // Arrange: a closed-world tokenizer and a model sized to it
        ClipVocabulary.Build(["a red cat", "a blue dog"], _folder.Sub("tokenizer"));
        var tokenizer = ClipTokenizer.Load(_folder.Sub("tokenizer"), maxLength: 8);
        using var model = new ClipTextModel(Tiny with { VocabSize = tokenizer.VocabularySize }, seed: 1);

        // Act
        using var encoding = model.Encode(tokenizer, ["a red cat", "dog"]);
        using var pooled = model.EndOfTextEmbeddings(tokenizer, ["a red cat", "dog"]);

        // Assert
        Assert.Equal([2L, 8, 16], encoding.Hidden.shape);
        Assert.Equal([4, 2], encoding.EndOfText);
        Assert.Equal([2L, 16], pooled.shape);
        Assert.False(pooled.requires_grad);
        for (int row = 0; row < 2; row++)
            Assert.True(pooled[row].allclose(encoding.Hidden[row, encoding.EndOfText[row]]), $"row {row}");
    }

    [Fact]
    public void Forward_is_differentiable_for_training()
    {
        using var model = new ClipTextModel(Tiny, seed: 2);
        model.train();
        using var scope = NewDisposeScope();

        model.forward(tensor(Tokens.Select(t => (long)t).ToArray()).unsqueeze(0)).square().mean().backward();

        Assert.All(model.parameters(), p => Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0));
    }

    [Fact]
    public void Missing_tensor_names_the_tensor_the_file_and_the_shape_it_needs()
    {
        string weights = WriteCheckpoint("missing", edit: tensors => tensors.Remove("text_model.encoder.layers.1.self_attn.k_proj.bias"));
        Tiny.Save(Path.Combine(_folder.Sub("missing"), "config.json"));

        var e = Assert.Throws<FairscopeException>(() => ClipTextModel.Load(weights));

        Assert.Contains(weights, e.Message);
        Assert.Contains("'text_model.encoder.layers.1.self_attn.k_proj.bias' is missing", e.Message);
        Assert.Contains("[16]", e.Message);
    }

    [Fact]
    public void Wrongly_shaped_tensor_names_expected_and_actual_shapes()
    {
        string weights = WriteCheckpoint("shape", edit: tensors => tensors["text_model.encoder.layers.0.mlp.fc2.weight"] = zeros(16, 31));
        Tiny.Save(Path.Combine(_folder.Sub("shape"), "config.json"));

        var e = Assert.Throws<FairscopeException>(() => ClipTextModel.Load(_folder.Sub("shape")));

        Assert.Contains(weights, e.Message);
        Assert.Contains("'text_model.encoder.layers.0.mlp.fc2.weight' has shape [16, 31]", e.Message);
        Assert.Contains("needs [16, 32]", e.Message);
    }

    [Fact]
    public void OpenClip_names_of_a_Stable_Diffusion_2_checkpoint_point_to_the_diffusers_text_encoder()
    {
        string path = Path.Combine(_folder.Path, "sd2.safetensors");
        using (var scope = NewDisposeScope())
        {
            SafetensorsWriter.Write(path, new Dictionary<string, Tensor>
            {
                ["cond_stage_model.model.token_embedding.weight"] = zeros(50, 16),
                ["cond_stage_model.model.transformer.resblocks.0.attn.in_proj_weight"] = zeros(48, 16),
            });
        }

        var e = Assert.Throws<FairscopeException>(() => ClipTextModel.Load(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("OpenCLIP", e.Message);
        Assert.Contains("text_encoder/", e.Message);
    }

    [Fact]
    public void Directory_without_weights_is_named()
    {
        Directory.CreateDirectory(_folder.Sub("empty"));

        var e = Assert.Throws<FairscopeException>(() => ClipTextModel.Load(_folder.Sub("empty")));

        Assert.Contains(_folder.Sub("empty"), e.Message);
        Assert.Contains("text_encoder/model.safetensors", e.Message);
    }
}
