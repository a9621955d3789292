using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fairscope;

/// <summary>
/// The shape of a <see cref="ClipTextModel"/>; the defaults are CLIP ViT-L/14's text encoder, the one Stable Diffusion
/// 1.x conditions on. On disk it is a Hugging Face <c>CLIPTextConfig</c> <c>config.json</c> (<c>vocab_size</c>,
/// <c>hidden_size</c>, <c>num_hidden_layers</c>, <c>num_attention_heads</c>, <c>max_position_embeddings</c>,
/// <c>intermediate_size</c>, <c>layer_norm_eps</c>, <c>hidden_act</c>). Without one, <see cref="Infer"/> reads the
/// shape off the weights. <see cref="Validate"/> checks the values; the model and the readers call it.
/// </summary>
public sealed record ClipTextConfig(
    int VocabSize = 49408,
    int Width = 768,
    int Layers = 12,
    int Heads = 12,
    int MaxPositions = 77,
    int IntermediateSize = 3072,
    double LayerNormEpsilon = 1e-5,
    string Activation = ClipTextConfig.QuickGelu)
{
    /// <summary>CLIP's own activation, <c>x·sigmoid(1.702x)</c> (OpenAI's CLIP and Stable Diffusion 1.x).</summary>
    public const string QuickGelu = "quick_gelu";

    /// <summary>The exact (erf) GELU, as in OpenCLIP's ViT-H text encoder of Stable Diffusion 2.x.</summary>
    public const string Gelu = "gelu";

    /// <summary>Returns this config, or throws <see cref="FairscopeException"/> naming the first invalid value.</summary>
    public ClipTextConfig Validate() =>
        Problem() is { } problem ? throw new FairscopeException($"invalid CLIP text config: {problem}") : this;

    private string? Problem()
    {
        foreach (var (value, name) in new[] { (VocabSize, "vocab_size"), (Width, "hidden_size"), (Layers, "num_hidden_layers"),
            (Heads, "num_attention_heads"), (MaxPositions, "max_position_embeddings"), (IntermediateSize, "intermediate_size") })
        {
            if (value < 1) return $"{name} must be at least 1, got {value}";
        }
        if (Width % Heads != 0) return $"hidden_size ({Width}) must be divisible by num_attention_heads ({Heads})";
        if (!(LayerNormEpsilon > 0 && LayerNormEpsilon < 1))
            return $"layer_norm_eps must be in (0, 1), got {LayerNormEpsilon.ToString(CultureInfo.InvariantCulture)}";
        if (Activation is not (QuickGelu or Gelu)) return $"hidden_act '{Activation}' is not supported; use '{QuickGelu}' or '{Gelu}'";
        return null;
    }

    /// <summary>The config as a Hugging Face <c>CLIPTextConfig</c> <c>config.json</c>.</summary>
    public string ToJson()
    {
        Validate();
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("model_type", "clip_text_model");
            json.WriteStartArray("architectures");
            json.WriteStringValue("CLIPTextModel");
            json.WriteEndArray();
            json.WriteNumber("vocab_size", VocabSize);
            json.WriteNumber("hidden_size", Width);
            json.WriteNumber("num_hidden_layers", Layers);
            json.WriteNumber("num_attention_heads", Heads);
            json.WriteNumber("max_position_embeddings", MaxPositions);
            json.WriteNumber("intermediate_size", IntermediateSize);
            json.WriteNumber("layer_norm_eps", LayerNormEpsilon);
            json.WriteString("hidden_act", Activation);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a Hugging Face <c>CLIPTextConfig</c>; <paramref name="source"/> names it in errors. The six shape
    /// keys are required (transformers always writes them); <c>layer_norm_eps</c> defaults to 1e-5 and
    /// <c>hidden_act</c> to <c>quick_gelu</c>, transformers' own defaults.</summary>
    public static ClipTextConfig FromJson(string json, string source)
    {
        // A full CLIPConfig (text and vision towers) nests the text tower's keys under text_config.
        var config = ConfigJson.Parse(json, source, "CLIP text").Within("text_config");
        double epsilon = config.Root["layer_norm_eps"] is { } eps ? config.Number(eps, "layer_norm_eps") : 1e-5;
        string activation = config.OptionalString("hidden_act") ?? QuickGelu;
        var result = new ClipTextConfig(config.Integer("vocab_size"), config.Integer("hidden_size"), config.Integer("num_hidden_layers"),
            config.Integer("num_attention_heads"), config.Integer("max_position_embeddings"), config.Integer("intermediate_size"), epsilon, activation);
        return result.Problem() is { } problem ? throw config.Invalid(problem) : result;
    }

    /// <summary>Reads the <c>config.json</c> at <paramref name="path"/>.</summary>
    public static ClipTextConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FairscopeException($"{path}: CLIP text config not found");
        return FromJson(File.ReadAllText(path), path);
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson());

    /// <summary>
    /// Reads the shape off the weights in <paramref name="header"/> whose names start with <paramref name="prefix"/>
    /// (ending in <c>text_model.</c>): vocabulary and width from the token embedding, positions from the position
    /// embedding, layers by counting <c>encoder.layers.N</c>, the MLP width from the first layer's <c>fc1</c>. Head
    /// counts leave no trace in the weights: <paramref name="heads"/>, or one head per 64 channels (CLIP's head size)
    /// when null. Layer-norm epsilon and activation take CLIP's values (1e-5, quick GELU).
    /// </summary>
    public static ClipTextConfig Infer(SafetensorsHeader header, string prefix, string path, int? heads = null)
    {
        IReadOnlyList<long> Shape(string name, int dimensions)
        {
            var entry = header.Find(prefix + name)
                ?? throw new FairscopeException($"{path}: tensor '{prefix + name}' is missing; without a config.json the model's shape is read from it");
            return entry.Shape.Count == dimensions ? entry.Shape
                : throw new FairscopeException($"{path}: tensor '{entry.Name}' has shape [{string.Join(", ", entry.Shape)}]; expected {dimensions} dimensions");
        }
        var token = Shape("embeddings.token_embedding.weight", 2); // (V, C)
        var position = Shape("embeddings.position_embedding.weight", 2); // (P, C)
        var fc1 = Shape("encoder.layers.0.mlp.fc1.weight", 2); // (I, C)
        string layerPrefix = prefix + "encoder.layers.";
        int layers = header.Names
            .Where(name => name.StartsWith(layerPrefix, StringComparison.Ordinal))
            .Select(name => name[layerPrefix.Length..].Split('.')[0])
            .Select(index => int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : -1)
            .Max() + 1;
        int width = (int)token[1];
        var config = new ClipTextConfig((int)token[0], width, layers, heads ?? Math.Max(1, width / 64), (int)position[0], (int)fc1[0]);
        return config.Problem() is { } problem
            ? throw new FairscopeException($"{path}: the CLIP text encoder's shape read from its weights is invalid: {problem}")
            : config;
    }
}
