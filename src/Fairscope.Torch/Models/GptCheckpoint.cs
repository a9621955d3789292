using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Fairscope;

/// <summary>
/// Saves and loads a <see cref="Gpt"/> as a Hugging Face GPT-2 model directory: <c>config.json</c> plus
/// <c>model.safetensors</c> with GPT-2's tensor names (<c>wte.weight</c>, <c>h.0.attn.c_attn.weight</c>, ...,
/// <c>ln_f.bias</c>). GPT-2 keeps its projections as Conv1D weights, shaped (in, out), the transpose of a Linear's
/// (out, in), so those four per layer are transposed on the way in and out. Loading follows nanoGPT's
/// <c>from_pretrained</c>: a <c>transformer.</c> prefix is accepted, the tied <c>lm_head.weight</c> and the
/// attention-mask buffers (<c>attn.bias</c>, <c>attn.masked_bias</c>) are ignored, and every expected tensor must be
/// present with its shape, and nothing else. Training metadata (step, seed) goes in the safetensors <c>__metadata__</c>.
/// </summary>
public static class GptCheckpoint
{
    /// <summary>The config file in a model directory.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>The weights file in a model directory.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>Metadata key of the training step the weights come from.</summary>
    public const string StepKey = "step";

    /// <summary>Metadata key of the training run's seed.</summary>
    public const string SeedKey = "seed";

    private const string TransformerPrefix = "transformer.";

    // Parameter-name endings of GPT-2's Conv1D weights, stored (in, out).
    private static readonly string[] Conv1DWeights = [".attn.c_attn.weight", ".attn.c_proj.weight", ".mlp.c_fc.weight", ".mlp.c_proj.weight"];

    private static bool IsConv1D(string name) => Conv1DWeights.Any(name.EndsWith);

    /// <summary>Writes <paramref name="model"/> to <paramref name="directory"/> (created if needed, files replaced),
    /// recording the training <paramref name="step"/> and <paramref name="seed"/> in the weights' metadata.</summary>
    public static void Save(Gpt model, string directory, long step = 0, long? seed = null)
    {
        Directory.CreateDirectory(directory);
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, parameter) in model.named_parameters())
            tensors[name] = IsConv1D(name) ? parameter.detach().t() : parameter.detach();
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt", // transformers checks for this
            [StepKey] = step.ToString(CultureInfo.InvariantCulture),
        };
        if (seed is { } s) metadata[SeedKey] = s.ToString(CultureInfo.InvariantCulture);
        SafetensorsWriter.Write(Path.Combine(directory, WeightsFileName), tensors, metadata);
        model.Config.Save(Path.Combine(directory, ConfigFileName));
    }

    /// <summary>Loads the model in <paramref name="directory"/> (on the CPU, or moved to <paramref name="device"/>), in
    /// evaluation mode.
    /// Throws <see cref="FairscopeException"/> naming the file and tensor when anything is missing, misshapen or extra.</summary>
    public static Gpt Load(string directory, Device? device = null)
    {
        var config = GptConfig.Load(Path.Combine(directory, ConfigFileName));
        string path = Path.Combine(directory, WeightsFileName);
        using var reader = SafetensorsReader.Open(path);
        var model = new Gpt(config);
        try
        {
            var expected = model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
            var found = Match(reader.Header, expected.Keys, path);
            string needs = $"config.json (n_layer {config.Layers}, n_head {config.Heads}, n_embd {config.Width}, vocab_size {config.VocabSize}, n_positions {config.ContextLength})";
            foreach (var (name, parameter) in expected)
            {
                var want = IsConv1D(name) ? parameter.shape.Reverse().ToArray() : parameter.shape;
                var entry = found[name];
                if (!entry.Shape.SequenceEqual(want))
                    throw Invalid(path, $"tensor '{entry.Name}' has shape [{string.Join(", ", entry.Shape)}], but {needs} needs [{string.Join(", ", want)}]");
            }
            using (no_grad())
            {
                foreach (var (name, parameter) in expected)
                {
                    using var scope = NewDisposeScope();
                    var loaded = reader.Load(found[name].Name);
                    parameter.copy_(IsConv1D(name) ? loaded.t() : loaded);
                }
            }
            if (device is not null) model.to(device);
            model.eval(); // as transformers' from_pretrained: ready for inference; call train() to fine-tune
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The training step and seed recorded in <paramref name="directory"/>'s weights (0 and null when absent).</summary>
    public static (long Step, long? Seed) ReadTrainingState(string directory)
    {
        string path = Path.Combine(directory, WeightsFileName);
        var metadata = SafetensorsHeader.Read(path).Metadata;
        long? Read(string key) => metadata.TryGetValue(key, out var text)
            ? long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value
                : throw Invalid(path, $"metadata '{key}' is '{text}', not an integer")
            : null;
        return (Read(StepKey) ?? 0, Read(SeedKey));
    }

    // Maps each of the model's parameter names to the file's entry for it, after nanoGPT's from_pretrained.
    private static Dictionary<string, SafetensorsEntry> Match(SafetensorsHeader header, IEnumerable<string> expected, string path)
    {
        var wanted = expected.ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
        var unexpected = new List<string>();
        foreach (var entry in header.Tensors)
        {
            string name = entry.Name.StartsWith(TransformerPrefix, StringComparison.Ordinal) ? entry.Name[TransformerPrefix.Length..] : entry.Name;
            if (name == "lm_head.weight" || name.EndsWith(".attn.bias", StringComparison.Ordinal) || name.EndsWith(".attn.masked_bias", StringComparison.Ordinal))
                continue; // the head is tied to wte; these are causal-mask buffers, not weights
            if (!wanted.Contains(name))
                unexpected.Add(entry.Name);
            else if (!found.TryAdd(name, entry))
                throw Invalid(path, $"tensor '{name}' appears twice, as '{found[name].Name}' and '{entry.Name}'");
        }
        var missing = wanted.Where(name => !found.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw Invalid(path, $"missing {missing.Count} tensor(s) the config needs: {List(missing)}");
        if (unexpected.Count > 0)
            throw Invalid(path, $"unexpected tensor(s) this GPT config has no place for: {List(unexpected)}");
        return found;
    }

    private static string List(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(10).Select(n => $"'{n}'")) + (names.Count > 10 ? $", ... ({names.Count} in all)" : "");

    private static FairscopeException Invalid(string path, string what) => new($"{path}: not a loadable GPT-2 checkpoint: {what}");
}
