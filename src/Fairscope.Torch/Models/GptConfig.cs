using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fairscope;

/// <summary>
/// The shape of a <see cref="Gpt"/>: vocabulary size, context length (the number of learned positions), layers,
/// attention heads per layer, residual width, dropout and whether linear layers and layer norms have biases (GPT-2's do).
/// On disk it is a Hugging Face GPT-2 <c>config.json</c> (<c>vocab_size</c>, <c>n_positions</c>, <c>n_layer</c>,
/// <c>n_head</c>, <c>n_embd</c>, <c>model_type: "gpt2"</c>), so checkpoints move between Fairscope and transformers.
/// A record can be built with any values (and changed with <c>with</c>); <see cref="Validate"/> checks them, and
/// <see cref="Gpt"/> and <see cref="FromJson"/> call it.
/// </summary>
public sealed record GptConfig(int VocabSize, int ContextLength, int Layers, int Heads, int Width, float Dropout = 0, bool Bias = true)
{
    /// <summary>The only <c>model_type</c> this architecture reads and writes.</summary>
    public const string ModelType = "gpt2";

    /// <summary>GPT-2's layer-norm epsilon, the only one supported.</summary>
    public const double LayerNormEpsilon = 1e-5;

    /// <summary>Channels per attention head: <see cref="Width"/> / <see cref="Heads"/>.</summary>
    public int HeadSize => Width / Heads;

    /// <summary>Returns this config, or throws <see cref="FairscopeException"/> naming the first invalid value.</summary>
    public GptConfig Validate() =>
        Problem() is { } problem ? throw new FairscopeException($"invalid GPT config: {problem}") : this;

    private string? Problem()
    {
        foreach (var (value, name) in new[] { (VocabSize, "vocab_size"), (ContextLength, "n_positions"), (Layers, "n_layer"), (Heads, "n_head"), (Width, "n_embd") })
        {
            if (value < 1) return $"{name} must be at least 1, got {value}";
        }
        if (Width % Heads != 0) return $"n_embd ({Width}) must be divisible by n_head ({Heads})";
        if (!(Dropout >= 0 && Dropout < 1)) return $"dropout must be in [0, 1), got {Dropout.ToString(CultureInfo.InvariantCulture)}";
        return null;
    }

    /// <summary>The config as a Hugging Face GPT-2 <c>config.json</c>.</summary>
    public string ToJson()
    {
        Validate();
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("model_type", ModelType);
            json.WriteStartArray("architectures");
            json.WriteStringValue("GPT2LMHeadModel");
            json.WriteEndArray();
            json.WriteNumber("vocab_size", VocabSize);
            json.WriteNumber("n_positions", ContextLength);
            json.WriteNumber("n_ctx", ContextLength);
            json.WriteNumber("n_layer", Layers);
            json.WriteNumber("n_head", Heads);
            json.WriteNumber("n_embd", Width);
            foreach (var name in new[] { "embd_pdrop", "attn_pdrop", "resid_pdrop" }) json.WriteNumber(name, Dropout);
            json.WriteNumber("layer_norm_epsilon", LayerNormEpsilon);
            json.WriteString("activation_function", "gelu_new");
            json.WriteBoolean("tie_word_embeddings", true);
            json.WriteBoolean("bias", Bias); // nanoGPT's flag; transformers ignores it (its GPT-2 always has biases)
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a Hugging Face GPT-2 <c>config.json</c>; <paramref name="source"/> names it in errors.
    /// <c>n_ctx</c> stands in for a missing <c>n_positions</c>; <c>resid_pdrop</c> gives the dropout.</summary>
    public static GptConfig FromJson(string json, string source)
    {
        var config = ConfigJson.Parse(json, source, "GPT");
        var root = config.Root;
        string? modelType = config.OptionalString("model_type");
        if (modelType is not null && modelType != ModelType)
            throw config.Invalid($"model_type '{modelType}' is not supported; the built-in GPT reads only '{ModelType}'");
        string? activation = config.OptionalString("activation_function");
        if (activation is not null && activation is not ("gelu_new" or "gelu_pytorch_tanh"))
            throw config.Invalid($"activation_function '{activation}' is not supported; GPT-2 uses 'gelu_new' (GELU, tanh approximation)");
        if (root["layer_norm_epsilon"] is { } epsilon && Math.Abs(config.Number(epsilon, "layer_norm_epsilon") - LayerNormEpsilon) > 1e-12)
            throw config.Invalid($"layer_norm_epsilon {epsilon.ToJsonString()} is not supported; GPT-2 uses 1e-05");
        if (root["tie_word_embeddings"] is { } tie && tie.GetValueKind() == JsonValueKind.False)
            throw config.Invalid("tie_word_embeddings is false; the built-in GPT always ties its output head to wte");

        int contextLength = root.ContainsKey("n_positions") ? config.Integer("n_positions")
            : root.ContainsKey("n_ctx") ? config.Integer("n_ctx")
            : throw config.Invalid("'n_positions' (or 'n_ctx') is missing");
        float dropout = root["resid_pdrop"] is { } p ? (float)config.Number(p, "resid_pdrop") : 0f;
        bool bias = root["bias"] is not { } b || b.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw config.Invalid($"'bias' must be true or false, got {b.ToJsonString()}"),
        };
        var result = new GptConfig(config.Integer("vocab_size"), contextLength, config.Integer("n_layer"), config.Integer("n_head"), config.Integer("n_embd"), dropout, bias);
        return result.Problem() is { } problem ? throw config.Invalid(problem) : result;
    }

    /// <summary>Reads the <c>config.json</c> at <paramref name="path"/>.</summary>
    public static GptConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FairscopeException($"{path}: GPT config not found");
        return FromJson(File.ReadAllText(path), path);
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson());
}
