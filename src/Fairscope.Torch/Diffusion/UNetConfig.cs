using System.Text.Json.Serialization;

namespace Fairscope;

/// <summary>
/// Shape of <see cref="UNet"/>, with the keys of a diffusers <c>UNet2DConditionModel</c> config.json where one exists, so
/// the saved folder reads like a diffusers one. Every block has cross-attention (SD's first three down blocks do).
/// </summary>
/// <param name="InChannels">Channels of the latent the U-Net denoises (and predicts the noise of).</param>
/// <param name="SampleSize">Height and width of that latent.</param>
/// <param name="BlockOutChannels">Channels per resolution, highest resolution first; each but the last halves H and W.</param>
/// <param name="LayersPerBlock">ResNet + attention pairs per down block (up blocks have one more, as in diffusers).</param>
/// <param name="CrossAttentionDim">Width of the text encoder's hidden states: the input width of every attn2.to_k/to_v.</param>
/// <param name="AttentionHeadDim">Channels per attention head.</param>
/// <param name="NormGroups">Groups of every GroupNorm.</param>
public sealed record UNetConfig(
    [property: JsonPropertyName("in_channels")] int InChannels,
    [property: JsonPropertyName("sample_size")] int SampleSize,
    [property: JsonPropertyName("block_out_channels")] IReadOnlyList<int> BlockOutChannels,
    [property: JsonPropertyName("layers_per_block")] int LayersPerBlock,
    [property: JsonPropertyName("cross_attention_dim")] int CrossAttentionDim,
    [property: JsonPropertyName("attention_head_dim")] int AttentionHeadDim,
    [property: JsonPropertyName("norm_num_groups")] int NormGroups)
{
    /// <summary>Width of the timestep embedding: four times the first block's channels, as in DDPM and diffusers.</summary>
    [JsonIgnore]
    public int TimeEmbeddingDim => 4 * BlockOutChannels[0];

    /// <summary>Throws <see cref="FairscopeException"/> naming the first invalid value.</summary>
    public UNetConfig Validate()
    {
        if (InChannels < 1 || SampleSize < 1 || LayersPerBlock < 1 || CrossAttentionDim < 1 || AttentionHeadDim < 1 || NormGroups < 1)
            throw new FairscopeException($"U-Net config: every size must be at least 1 ({this})");
        if (BlockOutChannels.Count < 1) throw new FairscopeException("U-Net config: block_out_channels is empty");
        foreach (var c in BlockOutChannels)
            if (c % NormGroups != 0 || c % AttentionHeadDim != 0)
                throw new FairscopeException($"U-Net config: {c} channels must divide into {NormGroups} norm groups and heads of {AttentionHeadDim}");
        if (SampleSize % (1 << (BlockOutChannels.Count - 1)) != 0)
            throw new FairscopeException($"U-Net config: sample size {SampleSize} must halve {BlockOutChannels.Count - 1} times");
        return this;
    }
}
