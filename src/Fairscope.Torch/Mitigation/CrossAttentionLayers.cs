namespace Fairscope;

/// <summary>One cross-attention layer of a diffusion U-Net: its key and value projections, which map text-encoder
/// embeddings (<see cref="TextWidth"/> wide) into the image features' attention space.</summary>
/// <param name="Prefix">The tensor names before <c>.attn2.to_k.weight</c>, e.g.
/// <c>down_blocks.0.attentions.0.transformer_blocks.0</c>.</param>
/// <param name="Key">The <c>attn2.to_k.weight</c> tensor, shaped (out features, text width).</param>
/// <param name="Value">The <c>attn2.to_v.weight</c> tensor, shaped (value features, text width).</param>
public sealed record CrossAttentionLayer(string Prefix, SafetensorsEntry Key, SafetensorsEntry Value)
{
    /// <summary>Output features of the key projection (the attention width of the block).</summary>
    public long OutFeatures => Key.Shape[0];

    /// <summary>Input features: the width of the text embeddings the layer attends to.</summary>
    public long TextWidth => Key.Shape[1];
}

/// <summary>
/// Every cross-attention key/value projection pair of a checkpoint, found by name: diffusers U-Nets name them
/// <c>&lt;prefix&gt;.attn2.to_k.weight</c> and <c>&lt;prefix&gt;.attn2.to_v.weight</c>
/// (<c>down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight</c>), and original single-file Stable
/// Diffusion checkpoints use the same endings under <c>model.diffusion_model.input_blocks</c>, <c>middle_block</c> and
/// <c>output_blocks</c>. These are the weights MIST (arXiv 2403.19738) and UCE edit.
/// </summary>
public sealed class CrossAttentionLayers
{
    private const string KeySuffix = "attn2.to_k.weight", ValueSuffix = "attn2.to_v.weight";

    private CrossAttentionLayers(IReadOnlyList<CrossAttentionLayer> layers, int textWidth)
    {
        Layers = layers;
        TextWidth = textWidth;
    }

    /// <summary>The layers, in the data order of their key tensors.</summary>
    public IReadOnlyList<CrossAttentionLayer> Layers { get; }

    /// <summary>The text-embedding width every layer takes (768 for Stable Diffusion 1.x, 1024 for 2.x, 2048 for SDXL).</summary>
    public int TextWidth { get; }

    /// <summary>The model family the layer count and width identify: "Stable Diffusion 1.x" (16 × 768),
    /// "Stable Diffusion 2.x" (16 × 1024), "SDXL" (70 × 2048), else "custom (N layers, width W)".</summary>
    public string Architecture => (Layers.Count, TextWidth) switch
    {
        (16, 768) => "Stable Diffusion 1.x",
        (16, 1024) => "Stable Diffusion 2.x",
        (70, 2048) => "SDXL",
        var (n, w) => $"custom ({n} layers, width {w})",
    };

    /// <summary>Reads the header of the safetensors file at <paramref name="path"/> and finds its layers.</summary>
    public static CrossAttentionLayers Read(string path) => Find(SafetensorsHeader.Read(path), path);

    /// <summary>Finds the layers in <paramref name="header"/> (of <paramref name="file"/>, named in errors).
    /// Throws <see cref="FairscopeException"/> when there are none, when a key lacks its value projection or the reverse,
    /// when a weight is not 2-D, or when the layers disagree on the text width.</summary>
    public static CrossAttentionLayers Find(SafetensorsHeader header, string file)
    {
        var layers = new List<CrossAttentionLayer>();
        foreach (var key in header.Tensors)
        {
            if (PrefixOf(key.Name, KeySuffix) is not { } prefix) continue;
            var valueName = Join(prefix, ValueSuffix);
            var value = header.Find(valueName)
                ?? throw new FairscopeException($"{file}: tensor '{key.Name}' has no matching '{valueName}'");
            layers.Add(new CrossAttentionLayer(prefix, Check(key, file), Check(value, file)));
        }
        foreach (var value in header.Tensors)
        {
            if (PrefixOf(value.Name, ValueSuffix) is { } prefix && header.Find(Join(prefix, KeySuffix)) is null)
                throw new FairscopeException($"{file}: tensor '{value.Name}' has no matching '{Join(prefix, KeySuffix)}'");
        }
        if (layers.Count == 0)
            throw new FairscopeException($"{file} has no attn2.to_k/to_v tensors; is it a U-Net or single-file Stable Diffusion checkpoint?");

        var first = layers[0].Key;
        foreach (var entry in layers.SelectMany(l => new[] { l.Key, l.Value }))
        {
            if (entry.Shape[1] != first.Shape[1])
                throw new FairscopeException($"{file}: the cross-attention layers disagree on the text width: '{first.Name}' takes {first.Shape[1]} but '{entry.Name}' takes {entry.Shape[1]}");
        }
        return new CrossAttentionLayers(layers, checked((int)first.Shape[1]));
    }

    /// <summary>True for the name of a cross-attention key or value projection weight (what the edit rewrites).</summary>
    public static bool IsProjection(string name) => PrefixOf(name, KeySuffix) is not null || PrefixOf(name, ValueSuffix) is not null;

    // The prefix of a name that is suffix or ends with ".suffix"; null otherwise.
    private static string? PrefixOf(string name, string suffix) =>
        name == suffix ? "" : name.EndsWith("." + suffix, StringComparison.Ordinal) ? name[..^(suffix.Length + 1)] : null;

    private static string Join(string prefix, string suffix) => prefix.Length == 0 ? suffix : $"{prefix}.{suffix}";

    private static SafetensorsEntry Check(SafetensorsEntry entry, string file) => entry.Shape.Count == 2 ? entry
        : throw new FairscopeException($"{file}: tensor '{entry.Name}' has shape {entry.ShapeText}; a cross-attention projection weight is 2-D (out features, text width)");
}
