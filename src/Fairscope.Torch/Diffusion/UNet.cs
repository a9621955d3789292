using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Fairscope;

// A text-conditioned U-Net in one file, after diffusers' UNet2DConditionModel (itself after Stable Diffusion's
// openaimodel.py and DDPM's U-Net). Building blocks come first, each before its use: the timestep embedding, the ResNet
// block, attention, the transformer block (self-attention, cross-attention to the text, GEGLU feed-forward), the
// spatial transformer, resampling, then the U-Net. Module fields carry diffusers' names, so parameter names are
// diffusers' own (down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight) and the cross-attention edit finds
// this model's layers exactly as it finds Stable Diffusion's. Shapes: B batch, C channels, H×W latent, N = H·W
// positions, T text tokens, D text width.

/// <summary>Maps the sinusoidal embedding of a timestep to the width every ResNet block reads: linear, SiLU, linear.</summary>
internal sealed class TimestepEmbedding : Module<Tensor, Tensor>
{
    private readonly Linear linear_1, linear_2;

    public TimestepEmbedding(int channels, int width) : base(nameof(TimestepEmbedding))
    {
        linear_1 = Linear(channels, width);
        linear_2 = Linear(width, width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => linear_2.forward(F.silu(linear_1.forward(x)));

    /// <summary>DDPM's sinusoidal embedding of integer timesteps (B) as (B, channels), cosines first (diffusers'
    /// <c>flip_sin_to_cos=True</c>, frequency shift 0, as Stable Diffusion uses).</summary>
    public static Tensor Sinusoid(Tensor timesteps, int channels)
    {
        int half = channels / 2;
        var frequencies = exp(arange(half, ScalarType.Float32, timesteps.device) * (-Math.Log(10_000) / half)); // (half)
        var angles = timesteps.to(ScalarType.Float32).unsqueeze(1) * frequencies.unsqueeze(0); // (B, half)
        return cat([angles.cos(), angles.sin()], 1);
    }
}

/// <summary>Two 3×3 convolutions, each after GroupNorm and SiLU, with a residual connection (a 1×1 convolution when the
/// channel count changes). The timestep scales and shifts the second GroupNorm's output, <c>norm2(h)·(1 + s) + b</c>
/// (diffusers' <c>resnet_time_scale_shift="scale_shift"</c>, after Dhariwal &amp; Nichol 2021): added before the norm,
/// as Stable Diffusion does, most of it is normalised away in a model this small, which then barely tells timesteps apart.</summary>
internal sealed class ResnetBlock2D : Module<Tensor, Tensor, Tensor>
{
    private readonly GroupNorm norm1, norm2;
    private readonly Conv2d conv1, conv2;
    private readonly Linear time_emb_proj;
    private readonly Conv2d? conv_shortcut;

    public ResnetBlock2D(int inChannels, int outChannels, int timeWidth, int groups) : base(nameof(ResnetBlock2D))
    {
        norm1 = GroupNorm(groups, inChannels);
        conv1 = Conv2d(inChannels, outChannels, 3, padding: 1);
        time_emb_proj = Linear(timeWidth, 2 * outChannels); // scale, then shift
        norm2 = GroupNorm(groups, outChannels);
        conv2 = Conv2d(outChannels, outChannels, 3, padding: 1);
        if (inChannels != outChannels) conv_shortcut = Conv2d(inChannels, outChannels, 1);
        RegisterComponents();
    }

    // (B, C_in, H, W), (B, E) -> (B, C_out, H, W)
    public override Tensor forward(Tensor x, Tensor time)
    {
        var h = conv1.forward(F.silu(norm1.forward(x)));
        var scaleShift = time_emb_proj.forward(F.silu(time)).unsqueeze(2).unsqueeze(3).chunk(2, 1); // 2 × (B, C_out, 1, 1)
        h = conv2.forward(F.silu(norm2.forward(h) * (1 + scaleShift[0]) + scaleShift[1]));
        return (conv_shortcut?.forward(x) ?? x) + h;
    }
}

/// <summary>Multi-head attention from positions (B, N, C) to a context (B, T, D): queries from the positions, keys and
/// values from the context. As attn1 the context is the positions themselves; as attn2 it is the text's hidden states,
/// and to_k and to_v are the cross-attention projections the closed-form edit rewrites.</summary>
internal sealed class Attention : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear to_q, to_k, to_v;
    private readonly ModuleList<Module<Tensor, Tensor>> to_out; // output projection, then dropout (diffusers' layout)
    private readonly long _heads;

    public Attention(int width, int contextWidth, int headDim) : base(nameof(Attention))
    {
        to_q = Linear(width, width, hasBias: false);
        to_k = Linear(contextWidth, width, hasBias: false);
        to_v = Linear(contextWidth, width, hasBias: false);
        to_out = ModuleList<Module<Tensor, Tensor>>(Linear(width, width), Dropout(0));
        _heads = width / headDim;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor context)
    {
        var (B, N, C) = (x.shape[0], x.shape[1], x.shape[2]);
        Tensor Heads(Tensor t) => t.view(B, -1, _heads, C / _heads).transpose(1, 2); // (B, nh, ·, hs)
        var y = F.scaled_dot_product_attention(Heads(to_q.forward(x)), Heads(to_k.forward(context)), Heads(to_v.forward(context))); // (B, nh, N, hs)
        return to_out[0].forward(y.transpose(1, 2).reshape(B, N, C));
    }
}

/// <summary>GELU-gated linear unit (Shazeer 2020), Stable Diffusion's feed-forward: one projection to twice the width,
/// half of it gating the other half through GELU.</summary>
internal sealed class GEGLU : Module<Tensor, Tensor>
{
    private readonly Linear proj;

    public GEGLU(int width, int inner) : base(nameof(GEGLU))
    {
        proj = Linear(width, 2 * inner);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var halves = proj.forward(x).chunk(2, -1);
        return halves[0] * F.gelu(halves[1]);
    }
}

/// <summary>The position-wise feed-forward network: GEGLU to 4× the width, dropout, projection back (net.0, net.1, net.2).</summary>
internal sealed class FeedForward : Module<Tensor, Tensor>
{
    private readonly ModuleList<Module<Tensor, Tensor>> net;

    public FeedForward(int width) : base(nameof(FeedForward))
    {
        net = ModuleList<Module<Tensor, Tensor>>(new GEGLU(width, 4 * width), Dropout(0), Linear(4 * width, width));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => net[2].forward(net[0].forward(x));
}

/// <summary>Self-attention, cross-attention to the text, feed-forward: each on a layer-normed copy of the residual stream.</summary>
internal sealed class BasicTransformerBlock : Module<Tensor, Tensor, Tensor>
{
    private readonly LayerNorm norm1, norm2, norm3;
    private readonly Attention attn1, attn2;
    private readonly FeedForward ff;

    public BasicTransformerBlock(int width, int contextWidth, int headDim) : base(nameof(BasicTransformerBlock))
    {
        norm1 = LayerNorm(width);
        attn1 = new Attention(width, width, headDim);
        norm2 = LayerNorm(width);
        attn2 = new Attention(width, contextWidth, headDim);
        norm3 = LayerNorm(width);
        ff = new FeedForward(width);
        RegisterComponents();
    }

    // (B, N, C), (B, T, D) -> (B, N, C)
    public override Tensor forward(Tensor x, Tensor context)
    {
        var h = norm1.forward(x);
        x = x + attn1.forward(h, h);
        x = x + attn2.forward(norm2.forward(x), context);
        return x + ff.forward(norm3.forward(x));
    }
}

/// <summary>Attention over a feature map: GroupNorm, project the positions in, one transformer block, project out, add
/// to the input (diffusers' Transformer2DModel with linear projections, as SD 2.x uses).</summary>
internal sealed class Transformer2DModel : Module<Tensor, Tensor, Tensor>
{
    private readonly GroupNorm norm;
    private readonly Linear proj_in, proj_out;
    private readonly ModuleList<BasicTransformerBlock> transformer_blocks;

    public Transformer2DModel(int channels, int contextWidth, int headDim, int groups) : base(nameof(Transformer2DModel))
    {
        norm = GroupNorm(groups, channels, eps: 1e-6);
        proj_in = Linear(channels, channels);
        transformer_blocks = ModuleList(new BasicTransformerBlock(channels, contextWidth, headDim));
        proj_out = Linear(channels, channels);
        RegisterComponents();
    }

    // (B, C, H, W), (B, T, D) -> (B, C, H, W)
    public override Tensor forward(Tensor x, Tensor context)
    {
        var (B, C, H, W) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        var h = proj_in.forward(norm.forward(x).permute(0, 2, 3, 1).reshape(B, H * W, C)); // (B, N, C)
        foreach (var block in transformer_blocks) h = block.forward(h, context);
        return x + proj_out.forward(h).reshape(B, H, W, C).permute(0, 3, 1, 2);
    }
}

/// <summary>Halves H and W with a strided 3×3 convolution.</summary>
internal sealed class Downsample2D : Module<Tensor, Tensor>
{
    private readonly Conv2d conv;

    public Downsample2D(int channels) : base(nameof(Downsample2D))
    {
        conv = Conv2d(channels, channels, 3, stride: 2, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => conv.forward(x);
}

/// <summary>Doubles H and W: nearest-neighbour upsampling, then a 3×3 convolution.</summary>
internal sealed class Upsample2D : Module<Tensor, Tensor>
{
    private readonly Conv2d conv;

    public Upsample2D(int channels) : base(nameof(Upsample2D))
    {
        conv = Conv2d(channels, channels, 3, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => conv.forward(F.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest));
}

/// <summary>One resolution of the U-Net: ResNet blocks, each of the first <c>attentions</c> followed by a spatial
/// transformer, then (all but the innermost down block and the outermost up block) a resampler. Empty module lists
/// register nothing, so names match diffusers' blocks.</summary>
internal sealed class UNetBlock : Module
{
    public readonly ModuleList<ResnetBlock2D> resnets;
    public readonly ModuleList<Transformer2DModel> attentions;
    public readonly ModuleList<Module<Tensor, Tensor>> downsamplers, upsamplers;

    public UNetBlock(IEnumerable<(int In, int Out)> resnetChannels, int attentionCount, UNetConfig config, Module<Tensor, Tensor>? downsampler,
        Module<Tensor, Tensor>? upsampler) : base(nameof(UNetBlock))
    {
        var pairs = resnetChannels.ToList();
        resnets = ModuleList(pairs.Select(p => new ResnetBlock2D(p.In, p.Out, config.TimeEmbeddingDim, config.NormGroups)).ToArray());
        attentions = ModuleList(pairs.Take(attentionCount).Select(p => new Transformer2DModel(p.Out, config.CrossAttentionDim, config.AttentionHeadDim, config.NormGroups)).ToArray());
        downsamplers = downsampler is null ? ModuleList<Module<Tensor, Tensor>>() : ModuleList(downsampler);
        upsamplers = upsampler is null ? ModuleList<Module<Tensor, Tensor>>() : ModuleList(upsampler);
        RegisterComponents();
    }
}

/// <summary>
/// A text-conditioned U-Net: given a noisy latent (B, C, H, W), integer timesteps (B) and the text encoder's hidden states
/// (B, T, D), it predicts the noise that was added. Down blocks halve the resolution, a middle block works at the lowest,
/// up blocks double it again reading the down path's activations through skip connections; every ResNet block is
/// followed by a spatial transformer whose attn2 reads the text. Layout, names and skip bookkeeping are diffusers'.
/// </summary>
public sealed class UNet : Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly Conv2d conv_in, conv_out;
    private readonly TimestepEmbedding time_embedding;
    private readonly ModuleList<UNetBlock> down_blocks, up_blocks;
    private readonly UNetBlock mid_block;
    private readonly GroupNorm conv_norm_out;

    /// <summary>Creates a U-Net with PyTorch's default initialisation drawn from <paramref name="seed"/>.</summary>
    public UNet(UNetConfig config, long seed = 0) : base(nameof(UNet))
    {
        Config = config.Validate();
        var channels = config.BlockOutChannels;
        int levels = channels.Count, layers = config.LayersPerBlock;
        conv_in = Conv2d(config.InChannels, channels[0], 3, padding: 1);
        time_embedding = new TimestepEmbedding(channels[0], config.TimeEmbeddingDim);

        var down = new List<UNetBlock>();
        for (int i = 0; i < levels; i++)
        {
            int input = i == 0 ? channels[0] : channels[i - 1];
            bool last = i == levels - 1;
            down.Add(new UNetBlock(Enumerable.Range(0, layers).Select(j => (j == 0 ? input : channels[i], channels[i])), layers, config,
                last ? null : new Downsample2D(channels[i]), null));
        }
        down_blocks = ModuleList(down.ToArray());
        int innermost = channels[^1];
        mid_block = new UNetBlock([(innermost, innermost), (innermost, innermost)], 1, config, null, null); // ResNet, attention, ResNet

        // Up block i mirrors down block levels−1−i with one ResNet more; ResNet j reads the skip pushed by the matching
        // down-path layer (the last one reads the previous level's output, which has that level's channels).
        var up = new List<UNetBlock>();
        for (int i = 0; i < levels; i++)
        {
            int output = channels[levels - 1 - i], previous = i == 0 ? innermost : channels[levels - i], input = channels[Math.Max(levels - 2 - i, 0)];
            bool last = i == levels - 1;
            up.Add(new UNetBlock(Enumerable.Range(0, layers + 1).Select(j => ((j == 0 ? previous : output) + (j == layers ? input : output), output)), layers + 1, config,
                null, last ? null : new Upsample2D(output)));
        }
        up_blocks = ModuleList(up.ToArray());
        conv_norm_out = GroupNorm(config.NormGroups, channels[0]);
        conv_out = Conv2d(channels[0], config.InChannels, 3, padding: 1);
        RegisterComponents();
        VisionModules.Reset(this, seed);
    }

    /// <summary>The model's shape.</summary>
    public UNetConfig Config { get; }

    /// <summary>The predicted noise (B, C, H, W) of <paramref name="latents"/> at <paramref name="timesteps"/> (B), given the text's hidden states (B, T, D).</summary>
    public override Tensor forward(Tensor latents, Tensor timesteps, Tensor context)
    {
        var time = time_embedding.forward(TimestepEmbedding.Sinusoid(timesteps, Config.BlockOutChannels[0])); // (B, E)
        var h = conv_in.forward(latents);
        var skips = new Stack<Tensor>([h]);
        foreach (var block in down_blocks)
        {
            for (int j = 0; j < block.resnets.Count; j++)
            {
                h = block.attentions[j].forward(block.resnets[j].forward(h, time), context);
                skips.Push(h);
            }
            foreach (var downsample in block.downsamplers)
            {
                h = downsample.forward(h);
                skips.Push(h);
            }
        }
        h = mid_block.resnets[1].forward(mid_block.attentions[0].forward(mid_block.resnets[0].forward(h, time), context), time);
        foreach (var block in up_blocks)
        {
            for (int j = 0; j < block.resnets.Count; j++)
                h = block.attentions[j].forward(block.resnets[j].forward(cat([h, skips.Pop()], 1), time), context);
            foreach (var upsample in block.upsamplers) h = upsample.forward(h);
        }
        return conv_out.forward(F.silu(conv_norm_out.forward(h)));
    }
}
