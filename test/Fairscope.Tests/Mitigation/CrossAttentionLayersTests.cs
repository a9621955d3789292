namespace Fairscope.Tests;

/// <summary><see cref="CrossAttentionLayers"/>: both naming schemes, the model families, and one clear error per
/// malformed checkpoint.</summary>
public sealed class CrossAttentionLayersTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Write(params RawTensor[] tensors)
    {
        var path = _folder.Sub($"{Guid.NewGuid():N}.safetensors");
        CrossAttentionFiles.Write(path, tensors);
        return path;
    }

    private static RawTensor[] Pair(string prefix, long width) =>
        [CrossAttentionFiles.Empty($"{prefix}.attn2.to_k.weight", width), CrossAttentionFiles.Empty($"{prefix}.attn2.to_v.weight", width)];

    [Fact]
    public void Finds_diffusers_and_single_file_names_with_their_shapes()
    {
        var random = new Random(1);
        var path = Write(
            CrossAttentionFiles.Random("down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight", SafetensorsDType.F16, [3, 4], random),
            CrossAttentionFiles.Random("down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_q.weight", SafetensorsDType.F16, [3, 3], random),
            CrossAttentionFiles.Random("down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_v.weight", SafetensorsDType.F16, [3, 4], random),
            CrossAttentionFiles.Random("down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_k.weight", SafetensorsDType.F16, [3, 3], random),
            CrossAttentionFiles.Random("model.diffusion_model.middle_block.1.transformer_blocks.0.attn2.to_k.weight", SafetensorsDType.F32, [5, 4], random),
            CrossAttentionFiles.Random("model.diffusion_model.middle_block.1.transformer_blocks.0.attn2.to_v.weight", SafetensorsDType.F32, [5, 4], random),
            CrossAttentionFiles.Random("model.diffusion_model.output_blocks.3.1.transformer_blocks.0.attn2.to_k.weight", SafetensorsDType.BF16, [2, 4], random),
            CrossAttentionFiles.Random("model.diffusion_model.output_blocks.3.1.transformer_blocks.0.attn2.to_v.weight", SafetensorsDType.BF16, [2, 4], random));

        var layers = CrossAttentionLayers.Read(path);

        Assert.Equal(["down_blocks.0.attentions.0.transformer_blocks.0", "model.diffusion_model.middle_block.1.transformer_blocks.0",
            "model.diffusion_model.output_blocks.3.1.transformer_blocks.0"], layers.Layers.Select(l => l.Prefix));
        Assert.Equal([3L, 5L, 2L], layers.Layers.Select(l => l.OutFeatures));
        Assert.All(layers.Layers, l => Assert.Equal(4, l.TextWidth));
        Assert.Equal("model.diffusion_model.middle_block.1.transformer_blocks.0.attn2.to_v.weight", layers.Layers[1].Value.Name);
        Assert.Equal(4, layers.TextWidth);
        Assert.Equal("custom (3 layers, width 4)", layers.Architecture);
    }

    [Theory]
    [InlineData(16, 768, "Stable Diffusion 1.x")]
    [InlineData(16, 1024, "Stable Diffusion 2.x")]
    [InlineData(70, 2048, "SDXL")]
    [InlineData(16, 2048, "custom (16 layers, width 2048)")]
    public void Layer_count_and_width_name_the_model_family(int count, int width, string expected)
    {
        var path = Write([.. Enumerable.Range(0, count).SelectMany(i => Pair($"up_blocks.{i}.attentions.0.transformer_blocks.0", width))]);

        var layers = CrossAttentionLayers.Read(path);

        Assert.Equal((count, width, expected), (layers.Layers.Count, layers.TextWidth, layers.Architecture));
    }

    [Fact]
    public void Checkpoint_without_cross_attention_is_one_clear_error()
    {
        var path = Write(CrossAttentionFiles.Empty("text_model.encoder.layers.0.self_attn.k_proj.weight", 768), CrossAttentionFiles.Empty("attn1.to_k.weight", 8));

        var e = Assert.Throws<FairscopeException>(() => CrossAttentionLayers.Read(path));

        Assert.Equal($"{path} has no attn2.to_k/to_v tensors; is it a U-Net or single-file Stable Diffusion checkpoint?", e.Message);
    }

    [Fact]
    public void Key_without_value_and_value_without_key_name_the_tensor()
    {
        var keyOnly = Write([.. Pair("a", 8), CrossAttentionFiles.Empty("b.attn2.to_k.weight", 8)]);
        var valueOnly = Write([.. Pair("a", 8), CrossAttentionFiles.Empty("c.attn2.to_v.weight", 8)]);

        var e1 = Assert.Throws<FairscopeException>(() => CrossAttentionLayers.Read(keyOnly));
        var e2 = Assert.Throws<FairscopeException>(() => CrossAttentionLayers.Read(valueOnly));

        Assert.Equal($"{keyOnly}: tensor 'b.attn2.to_k.weight' has no matching 'b.attn2.to_v.weight'", e1.Message);
        Assert.Equal($"{valueOnly}: tensor 'c.attn2.to_v.weight' has no matching 'c.attn2.to_k.weight'", e2.Message);
    }

    [Fact]
    public void Weight_that_is_not_2D_names_the_tensor()
    {
        var path = Write(new RawTensor("a.attn2.to_k.weight", "F16", [0, 8, 1], []), CrossAttentionFiles.Empty("a.attn2.to_v.weight", 8));

        var e = Assert.Throws<FairscopeException>(() => CrossAttentionLayers.Read(path));

        Assert.Equal($"{path}: tensor 'a.attn2.to_k.weight' has shape [0, 8, 1]; a cross-attention projection weight is 2-D (out features, text width)", e.Message);
    }

    [Fact]
    public void Layers_of_different_widths_are_one_clear_error()
    {
        // One row each, so the data order (a before b) is fixed; zero-size tensors share their offsets.
        var random = new Random(2);
        var path = Write([.. new[] { ("a", 768L), ("b", 1024L) }.SelectMany(p => new[] { "to_k", "to_v" }
            .Select(kv => CrossAttentionFiles.Random($"{p.Item1}.attn2.{kv}.weight", SafetensorsDType.F16, [1, p.Item2], random)))]);

        var e = Assert.Throws<FairscopeException>(() => CrossAttentionLayers.Read(path));

        Assert.Equal($"{path}: the cross-attention layers disagree on the text width: 'a.attn2.to_k.weight' takes 768 but 'b.attn2.to_k.weight' takes 1024", e.Message);
    }
}
