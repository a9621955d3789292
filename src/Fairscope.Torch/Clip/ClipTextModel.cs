using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Fairscope;

// CLIP's text encoder in one file, after Hugging Face's modeling_clip.py (CLIPTextModel), the text encoder Stable
// Diffusion conditions on. Building blocks come first, each before its use: embeddings, causal self-attention, the MLP,
// a pre-LayerNorm encoder layer, the stack of layers, the text transformer, then the public model with loading,
// saving and prompt encoding. Module fields carry Hugging Face's names, so named_parameters() yields transformers'
// own tensor names (text_model.encoder.layers.0.self_attn.q_proj.weight, ...). There is no dropout: CLIP's is 0.
// Shapes: B batch, T time (token positions), C channels (width), V vocabulary, nh heads, hs head size, I MLP width.

/// <summary>Token embeddings plus learned absolute position embeddings.</summary>
internal sealed class ClipTextEmbeddings : Module<Tensor, Tensor>
{
    private readonly Embedding token_embedding; // (V, C)
    private readonly Embedding position_embedding; // (P, C)

    public ClipTextEmbeddings(ClipTextConfig config) : base(nameof(ClipTextEmbeddings))
    {
        token_embedding = Embedding(config.VocabSize, config.Width);
        position_embedding = Embedding(config.MaxPositions, config.Width);
        RegisterComponents();
    }

    // (B, T) -> (B, T, C). Transformers keeps the positions 0..P-1 in a position_ids buffer; arange is the same thing.
    public override Tensor forward(Tensor ids) =>
        token_embedding.forward(ids) + position_embedding.forward(arange(ids.shape[1], ScalarType.Int64, ids.device));
}

/// <summary>Multi-head causal self-attention with separate query, key, value and output projections, all biased.</summary>
internal sealed class ClipAttention : Module<Tensor, Tensor>
{
    private readonly Linear q_proj, k_proj, v_proj, out_proj;
    private readonly long _heads;

    public ClipAttention(ClipTextConfig config) : base(nameof(ClipAttention))
    {
        q_proj = Linear(config.Width, config.Width);
        k_proj = Linear(config.Width, config.Width);
        v_proj = Linear(config.Width, config.Width);
        out_proj = Linear(config.Width, config.Width);
        _heads = config.Heads;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var (B, T, C) = (x.shape[0], x.shape[1], x.shape[2]);
        Tensor Heads(Tensor t) => t.view(B, T, _heads, C / _heads).transpose(1, 2); // (B, T, C) -> (B, nh, T, hs)
        // Scaled by 1/√hs, as transformers' CLIPAttention. CLIP's text tower is causal even over padding: Stable
        // Diffusion passes no attention mask, so each position sees itself and the positions before it.
        var y = F.scaled_dot_product_attention(Heads(q_proj.forward(x)), Heads(k_proj.forward(x)), Heads(v_proj.forward(x)), is_casual: true);
        return out_proj.forward(y.transpose(1, 2).contiguous().view(B, T, C)); // heads side by side again: (B, T, C)
    }
}

/// <summary>The position-wise feed-forward network: widen to the intermediate size, activate, project back.</summary>
internal sealed class ClipMlp : Module<Tensor, Tensor>
{
    private readonly Linear fc1, fc2;
    private readonly bool _quickGelu;

    public ClipMlp(ClipTextConfig config) : base(nameof(ClipMlp))
    {
        fc1 = Linear(config.Width, config.IntermediateSize);
        fc2 = Linear(config.IntermediateSize, config.Width);
        _quickGelu = config.Activation == ClipTextConfig.QuickGelu;
        RegisterComponents();
    }

    // (B, T, C) -> (B, T, I) -> (B, T, C)
    public override Tensor forward(Tensor x)
    {
        var h = fc1.forward(x);
        // Quick GELU, x·sigmoid(1.702x), is the sigmoid approximation of GELU OpenAI trained CLIP with; the weights
        // expect it, so it is not swapped for the exact GELU.
        h = _quickGelu ? h * (1.702 * h).sigmoid() : F.gelu(h);
        return fc2.forward(h);
    }
}

/// <summary>One encoder layer: attention then MLP, each on a layer-normed copy of the residual stream (pre-LN).</summary>
internal sealed class ClipEncoderLayer : Module<Tensor, Tensor>
{
    private readonly ClipAttention self_attn;
    private readonly LayerNorm layer_norm1, layer_norm2;
    private readonly ClipMlp mlp;

    public ClipEncoderLayer(ClipTextConfig config) : base(nameof(ClipEncoderLayer))
    {
        self_attn = new ClipAttention(config);
        layer_norm1 = LayerNorm(config.Width, config.LayerNormEpsilon);
        mlp = new ClipMlp(config);
        layer_norm2 = LayerNorm(config.Width, config.LayerNormEpsilon);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = x + self_attn.forward(layer_norm1.forward(x)); // (B, T, C)
        return x + mlp.forward(layer_norm2.forward(x));
    }
}

/// <summary>The stack of encoder layers (transformers' CLIPEncoder), which gives the <c>encoder.layers.N</c> names.</summary>
internal sealed class ClipEncoder : Module<Tensor, Tensor>
{
    private readonly ModuleList<ClipEncoderLayer> layers;

    public ClipEncoder(ClipTextConfig config) : base(nameof(ClipEncoder))
    {
        layers = ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new ClipEncoderLayer(config)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        foreach (var layer in layers) x = layer.forward(x);
        return x;
    }
}

/// <summary>Embeddings, encoder and final LayerNorm (transformers' CLIPTextTransformer, the <c>text_model.</c> part).</summary>
internal sealed class ClipTextTransformer : Module<Tensor, Tensor>
{
    private readonly ClipTextEmbeddings embeddings;
    private readonly ClipEncoder encoder;
    private readonly LayerNorm final_layer_norm;

    public ClipTextTransformer(ClipTextConfig config) : base(nameof(ClipTextTransformer))
    {
        embeddings = new ClipTextEmbeddings(config);
        encoder = new ClipEncoder(config);
        final_layer_norm = LayerNorm(config.Width, config.LayerNormEpsilon);
        RegisterComponents();
    }

    // (B, T) -> (B, T, C)
    public override Tensor forward(Tensor ids) => final_layer_norm.forward(encoder.forward(embeddings.forward(ids)));
}

/// <summary>A prompt batch through <see cref="ClipTextModel.Encode"/>: the last hidden state, the padded token ids it
/// came from and each row's end-of-text position. Disposing it disposes <see cref="Hidden"/>.</summary>
/// <param name="Hidden">(B, T, C) on the model's device, without gradients; T is the tokenizer's
/// <see cref="ClipTokenizer.MaxLength"/>.</param>
/// <param name="Ids">Each prompt's <see cref="ClipTokenizer.EncodePadded"/> ids.</param>
/// <param name="EndOfText">Each row's first <c>&lt;|endoftext|&gt;</c> position, whose hidden state is the
/// prompt's pooled embedding (transformers' <c>pooler_output</c>).</param>
public sealed record ClipEncoding(Tensor Hidden, int[][] Ids, int[] EndOfText) : IDisposable
{
    /// <summary>Disposes <see cref="Hidden"/>.</summary>
    public void Dispose() => Hidden.Dispose();
}

/// <summary>
/// CLIP's text encoder, exactly Hugging Face's <c>CLIPTextModel</c>: token and position embeddings,
/// <see cref="ClipTextConfig.Layers"/> pre-LN causal transformer layers and a final LayerNorm.
/// <see cref="Module{T, TResult}.forward"/> maps token ids (B, T) to the last hidden state (B, T, C), what Stable
/// Diffusion's U-Net cross-attends to. Parameters carry transformers' names (<c>text_model.embeddings...</c>), so
/// <see cref="Load"/> reads diffusers' <c>text_encoder/</c> and <see cref="Save"/> writes what transformers reads.
/// </summary>
public sealed class ClipTextModel : Module<Tensor, Tensor>
{
    /// <summary>The weights file in a model directory.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>The config file in a model directory.</summary>
    public const string ConfigFileName = "config.json";

    private const string HuggingFacePrefix = "text_model.";

    // Where checkpoints keep the text_model.* tensors: transformers itself; Stable Diffusion 1.x single files
    // (FrozenCLIPEmbedder's transformer); SDXL single files (the first of its two text encoders).
    private static readonly string[] Prefixes =
        [HuggingFacePrefix, "cond_stage_model.transformer." + HuggingFacePrefix, "conditioner.embedders.0.transformer." + HuggingFacePrefix];

    private readonly ClipTextTransformer text_model;

    /// <summary>Creates a model with transformers' CLIP initialisation, drawn from <paramref name="seed"/>: embeddings
    /// N(0, 0.02); attention inputs N(0, C^-½·(2·layers)^-½), its output N(0, C^-½); MLP fc1 N(0, (2C)^-½), fc2 as the
    /// attention inputs; biases 0, layer-norm gains 1.</summary>
    public ClipTextModel(ClipTextConfig config, long seed = 0) : base(nameof(ClipTextModel))
    {
        Config = config.Validate();
        text_model = new ClipTextTransformer(config);
        RegisterComponents();

        double inputStd = Math.Pow(config.Width, -0.5) * Math.Pow(2.0 * config.Layers, -0.5);
        double outputStd = Math.Pow(config.Width, -0.5);
        double fc1Std = Math.Pow(2.0 * config.Width, -0.5);
        using var generator = new Generator((ulong)seed);
        using var _ = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (parameter.dim() == 2)
            {
                double std = name.Contains("embedding", StringComparison.Ordinal) ? 0.02
                    : name.EndsWith("out_proj.weight", StringComparison.Ordinal) ? outputStd
                    : name.EndsWith("fc1.weight", StringComparison.Ordinal) ? fc1Std
                    : inputStd; // q, k, v and fc2
                parameter.normal_(0, std, generator);
            }
            else if (name.EndsWith(".bias", StringComparison.Ordinal))
                parameter.zero_();
            else
                parameter.fill_(1); // layer-norm gains, set rather than left to the library (its GroupNorm leaves them uninitialised)
        }
    }

    /// <summary>The model's shape.</summary>
    public ClipTextConfig Config { get; }

    /// <summary>The last hidden state (B, T, C), after the final LayerNorm, for token ids <paramref name="ids"/>
    /// (B, T) int64, T ≤ <see cref="ClipTextConfig.MaxPositions"/>. Differentiable: the model can be trained.</summary>
    public override Tensor forward(Tensor ids)
    {
        if (ids.dim() != 2) throw new ArgumentException($"ids must be (B, T); got [{string.Join(", ", ids.shape)}]", nameof(ids));
        if (ids.shape[1] > Config.MaxPositions)
            throw new FairscopeException($"CLIP text encoder: {ids.shape[1]} tokens exceed its {Config.MaxPositions} positions");
        return text_model.forward(ids);
    }

    /// <summary>
    /// Encodes <paramref name="prompts"/> with <paramref name="tokenizer"/> (padded to its
    /// <see cref="ClipTokenizer.MaxLength"/>) and runs the model once over the batch, without gradients. The caller
    /// disposes the result.
    /// </summary>
    public ClipEncoding Encode(ClipTokenizer tokenizer, IReadOnlyList<string> prompts)
    {
        if (prompts.Count == 0) throw new ArgumentException("at least one prompt is needed", nameof(prompts));
        if (tokenizer.MaxLength > Config.MaxPositions)
            throw new FairscopeException($"CLIP: the tokenizer pads to {tokenizer.MaxLength} tokens, but the text encoder has {Config.MaxPositions} positions; load the tokenizer with maxLength {Config.MaxPositions}");
        if (tokenizer.VocabularySize > Config.VocabSize)
            throw new FairscopeException($"CLIP: the tokenizer has {tokenizer.VocabularySize} token ids, but the text encoder embeds only {Config.VocabSize}; they do not belong together");
        var rows = prompts.Select(tokenizer.EncodePadded).ToArray();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var device = parameters().First().device;
        var ids = tensor(rows.SelectMany(row => row.Ids).Select(id => (long)id).ToArray(), ScalarType.Int64, device)
            .view(rows.Length, tokenizer.MaxLength); // (B, T)
        var hidden = forward(ids).MoveToOuterDisposeScope(); // (B, T, C)
        return new ClipEncoding(hidden, [.. rows.Select(row => row.Ids)], [.. rows.Select(row => row.EndOfText)]);
    }

    /// <summary>Each prompt's hidden state at its end-of-text token (B, C), without gradients: the pooled text
    /// embedding that closed-form cross-attention edits (UCE, MIST) work with. The caller owns the tensor.</summary>
    public Tensor EndOfTextEmbeddings(ClipTokenizer tokenizer, IReadOnlyList<string> prompts)
    {
        using var encoding = Encode(tokenizer, prompts);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (B, C) = (encoding.Hidden.shape[0], encoding.Hidden.shape[2]);
        var positions = tensor(encoding.EndOfText.Select(p => (long)p).ToArray(), ScalarType.Int64, encoding.Hidden.device)
            .view(B, 1, 1).expand(B, 1, C); // (B, 1, C): row b takes position EndOfText[b] in every channel
        return encoding.Hidden.gather(1, positions).squeeze(1).MoveToOuterDisposeScope(); // (B, C)
    }

    /// <summary>Writes <c>model.safetensors</c> (transformers' names, float32) and <c>config.json</c> to
    /// <paramref name="directory"/> (created if needed, files replaced), which <see cref="Load"/> and transformers'
    /// <c>CLIPTextModel.from_pretrained</c> read.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        using var scope = NewDisposeScope();
        var tensors = named_parameters().ToDictionary(p => p.name, p => p.parameter.detach(), StringComparer.Ordinal);
        SafetensorsWriter.Write(Path.Combine(directory, WeightsFileName), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        Config.Save(Path.Combine(directory, ConfigFileName));
    }

    /// <summary>
    /// Loads a CLIP text encoder (on the CPU, or moved to <paramref name="device"/>). <paramref name="path"/> is a
    /// directory holding <c>model.safetensors</c> or <c>text_encoder/model.safetensors</c> (a diffusers pipeline), or a
    /// .safetensors file. Tensors are found under <c>text_model.</c> (transformers), <c>cond_stage_model.transformer.text_model.</c>
    /// (Stable Diffusion 1.x single file) or <c>conditioner.embedders.0.transformer.text_model.</c> (SDXL's first text
    /// encoder); everything else in the file is ignored, as are <c>position_ids</c> buffers. The shape comes from the
    /// <c>config.json</c> beside transformers-named weights, else from the weights themselves, with
    /// <paramref name="heads"/> attention heads (default one per 64 channels, as every CLIP). Any missing or misshapen
    /// tensor is a <see cref="FairscopeException"/> naming it and the file.
    /// </summary>
    public static ClipTextModel Load(string path, Device? device = null, int? heads = null)
    {
        string weights = WeightsFile(path);
        using var reader = SafetensorsReader.Open(weights);
        string prefix = FindPrefix(reader.Header, weights);
        string config = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(weights))!, ConfigFileName);
        var model = new ClipTextModel(prefix == HuggingFacePrefix && File.Exists(config)
            ? ClipTextConfig.Load(config)
            : ClipTextConfig.Infer(reader.Header, prefix, weights, heads));
        try
        {
            // Parameter names all start with text_model.; the file's start with the prefix found instead.
            var expected = model.named_parameters().ToDictionary(
                p => prefix + p.name[HuggingFacePrefix.Length..], p => p.parameter, StringComparer.Ordinal);
            string shape = $"{model.Config.Layers} layers, width {model.Config.Width}, {model.Config.VocabSize} tokens, {model.Config.MaxPositions} positions, MLP {model.Config.IntermediateSize}";
            var unexpected = reader.Header.Names
                .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && !expected.ContainsKey(name) && !name.EndsWith("embeddings.position_ids", StringComparison.Ordinal))
                .ToList();
            if (unexpected.Count > 0)
                throw new FairscopeException($"{weights}: tensor '{unexpected[0]}'{(unexpected.Count > 1 ? $" (and {unexpected.Count - 1} more)" : "")} has no place in a CLIP text encoder of {shape}; check its config.json");
            foreach (var (name, parameter) in expected)
            {
                var entry = reader.Header.Find(name)
                    ?? throw new FairscopeException($"{weights}: tensor '{name}' is missing; a CLIP text encoder of {shape} needs it, shaped [{string.Join(", ", parameter.shape)}]");
                if (!entry.Shape.SequenceEqual(parameter.shape))
                    throw new FairscopeException($"{weights}: tensor '{name}' has shape [{string.Join(", ", entry.Shape)}], but a CLIP text encoder of {shape} needs [{string.Join(", ", parameter.shape)}]");
            }
            using (no_grad())
            {
                foreach (var (name, parameter) in expected)
                {
                    using var loaded = reader.Load(name);
                    parameter.copy_(loaded);
                }
            }
            if (device is not null) model.to(device);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    // The weights file a path names: the file itself, or a directory's model.safetensors or text_encoder/model.safetensors.
    private static string WeightsFile(string path)
    {
        if (File.Exists(path)) return path;
        if (!Directory.Exists(path)) throw new FairscopeException($"{path}: CLIP text encoder not found (give a model directory or a .safetensors file)");
        return new[] { Path.Combine(path, WeightsFileName), Path.Combine(path, "text_encoder", WeightsFileName) }.FirstOrDefault(File.Exists)
            ?? throw new FairscopeException($"{path}: no {WeightsFileName} or text_encoder/{WeightsFileName} in the directory; a CLIP text encoder is read from safetensors weights (convert a pytorch_model.bin first)");
    }

    private static string FindPrefix(SafetensorsHeader header, string path)
    {
        if (Prefixes.FirstOrDefault(p => header.Find(p + "embeddings.token_embedding.weight") is not null) is { } prefix) return prefix;
        if (header.Names.Any(name => name.Contains("transformer.resblocks.", StringComparison.Ordinal)))
            throw new FairscopeException($"{path}: the text encoder has OpenCLIP names ('...transformer.resblocks...', as Stable Diffusion 2.x single-file checkpoints store it), which are not read; load the diffusers model's text_encoder/ directory instead");
        throw new FairscopeException($"{path}: no CLIP text encoder found: no '{string.Join("', '", Prefixes.Select(p => p + "embeddings.token_embedding.weight"))}' tensor");
    }
}
