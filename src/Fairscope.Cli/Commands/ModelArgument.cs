namespace Fairscope.Cli;

/// <summary><c>--model</c> of <c>serve</c> and <c>audit --provider builtin</c>: a model directory, or <c>builtin:NAME</c> for a
/// laboratory model (<see cref="BiasInheritanceLab.BuiltinModels"/>, <c>builtin:umllm</c>, the unified multimodal model of
/// <see cref="MultimodalLab"/>, or <c>builtin:diffusion</c>, the diffusion model of <see cref="DiffusionLab"/>) at the demo's
/// settings, trained into the cache on first use.</summary>
internal static class ModelArgument
{
    public const string Prefix = "builtin:";

    public static string Resolve(string model, CancellationToken cancellationToken)
    {
        if (model == Prefix + MultimodalLab.BuiltinName)
        {
            var multimodal = new ModelCache(ModelCache.DefaultRoot);
            Console.Error.WriteLine($"fairscope: {model} comes from the model cache {multimodal.Root} (trained on first use by fairscope demo multimodal's recipe, minutes)");
            return new MultimodalLab(MultimodalSettings.Demo(), multimodal, Directory.GetCurrentDirectory()).ModelDirectory(cancellationToken);
        }
        if (model == Prefix + DiffusionLab.BuiltinName)
        {
            var diffusion = new ModelCache(ModelCache.DefaultRoot);
            Console.Error.WriteLine($"fairscope: {model} comes from the model cache {diffusion.Root} (trained on first use by fairscope demo diffusion's recipe, minutes)");
            return new DiffusionLab(DiffusionSettings.Demo(), diffusion, Directory.GetCurrentDirectory()).ModelDirectory(cancellationToken);
        }
        if (!model.StartsWith(Prefix, StringComparison.Ordinal)) return model;
        var cache = new ModelCache(ModelCache.DefaultRoot);
        Console.Error.WriteLine($"fairscope: {model} comes from the model cache {cache.Root} (trained on first use, under a minute)");
        return new BiasInheritanceLab(LabSettings.Demo(), cache, Directory.GetCurrentDirectory()).ModelDirectory(model[Prefix.Length..], cancellationToken);
    }

    /// <summary>The files of a GPT model directory that decide its outputs.</summary>
    public static readonly string[] LanguageModelFiles = [GptCheckpoint.ConfigFileName, GptCheckpoint.WeightsFileName, "vocab.json", "merges.txt", "tokenizer.json"];

    /// <summary>Every file under <paramref name="directory"/>, as paths relative to it in ordinal order.</summary>
    public static IEnumerable<string> FilesUnder(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(directory, f)).Order(StringComparer.Ordinal);

    /// <summary>A hash of <paramref name="files"/> (paths relative to <paramref name="directory"/>; default every file in it),
    /// part of a run's identity: resuming against retrained weights or another tokenizer is refused.</summary>
    public static string HashOf(string directory, IEnumerable<string>? files = null)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        files ??= FilesUnder(directory);
        foreach (var name in files)
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path)) continue;
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
            using var file = File.OpenRead(path);
            hash.AppendData(System.Security.Cryptography.SHA256.HashData(file));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
