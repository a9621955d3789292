using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Fairscope;

/// <summary>
/// The directory layout the vision models share: <c>config.json</c> (the model's config record, snake_case) and
/// <c>model.safetensors</c> holding every parameter and buffer under its module name. Unlike
/// <see cref="GptCheckpoint"/> there is no foreign layout to map to, so loading asks for exactly the module's own
/// names and shapes.
/// </summary>
internal static class VisionCheckpoint
{
    public const string ConfigFileName = "config.json";
    public const string WeightsFileName = "model.safetensors";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <summary>Writes <paramref name="config"/> and the module's parameters and buffers (to <paramref name="weightsFile"/>,
    /// default <see cref="WeightsFileName"/>) to <paramref name="directory"/>.</summary>
    public static void Save<TConfig>(nn.Module module, TConfig config, string directory, string weightsFile = WeightsFileName)
    {
        Directory.CreateDirectory(directory);
        using var scope = NewDisposeScope();
        var tensors = Tensors(module).ToDictionary(t => t.Key, t => t.Value.detach(), StringComparer.Ordinal);
        SafetensorsWriter.Write(Path.Combine(directory, weightsFile), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        File.WriteAllText(Path.Combine(directory, ConfigFileName), JsonSerializer.Serialize(config, Json));
    }

    /// <summary>The model saved in <paramref name="directory"/>: its config read, the module built by <paramref name="create"/>,
    /// its weights loaded (see <see cref="LoadWeights"/>), moved to <paramref name="device"/> when given, in evaluation mode.
    /// <paramref name="what"/> names the model in errors; a failure disposes the half-built module.</summary>
    public static TModel Load<TModel, TConfig>(string directory, string what, Func<TConfig, TModel> create, Device? device, string weightsFile = WeightsFileName)
        where TModel : nn.Module
    {
        var model = create(ReadConfig<TConfig>(directory, what));
        try
        {
            LoadWeights(model, Path.Combine(directory, weightsFile), what);
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

    // Every parameter and buffer under its module name.
    private static Dictionary<string, Tensor> Tensors(nn.Module module) =>
        module.named_parameters().Select(p => (p.name, Tensor: (Tensor)p.parameter))
            .Concat(module.named_buffers().Select(b => (b.name, Tensor: b.buffer)))
            .ToDictionary(t => t.name, t => t.Tensor, StringComparer.Ordinal);

    private static TConfig ReadConfig<TConfig>(string directory, string what)
    {
        string path = Path.Combine(directory, ConfigFileName);
        if (!File.Exists(path)) throw new FairscopeException($"{path}: {what} config not found");
        try
        {
            return JsonSerializer.Deserialize<TConfig>(File.ReadAllText(path), Json)
                ?? throw new FairscopeException($"{path}: the {what} config is null");
        }
        catch (JsonException e)
        {
            throw new FairscopeException($"{path}: invalid {what} config: {e.Message}", e);
        }
    }

    /// <summary>Copies the weights in the file at <paramref name="path"/> into <paramref name="module"/>, which must hold
    /// the same names and shapes, no more and no fewer (else a <see cref="FairscopeException"/> names the first
    /// difference).</summary>
    private static void LoadWeights(nn.Module module, string path, string what)
    {
        using var reader = SafetensorsReader.Open(path);
        var expected = Tensors(module);
        if (reader.Header.Names.FirstOrDefault(name => !expected.ContainsKey(name)) is { } extra)
            throw new FairscopeException($"{path}: unexpected tensor '{extra}' for this {what} config");
        foreach (var (name, target) in expected)
        {
            var entry = reader.Header.Find(name) ?? throw new FairscopeException($"{path}: missing tensor '{name}' the {what} config needs");
            if (!entry.Shape.SequenceEqual(target.shape))
                throw new FairscopeException($"{path}: tensor '{name}' has shape [{string.Join(", ", entry.Shape)}], but the {what} config needs [{string.Join(", ", target.shape)}]");
        }
        using var _ = no_grad();
        foreach (var (name, target) in expected)
        {
            using var loaded = reader.Load(name);
            target.copy_(loaded);
        }
    }
}
