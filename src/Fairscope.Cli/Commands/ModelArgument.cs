namespace Fairscope.Cli;

/// <summary><c>--model</c> of <c>serve</c> and <c>audit --provider builtin</c>: a model directory, or <c>builtin:NAME</c> for a
/// laboratory model (<see cref="BiasInheritanceLab.BuiltinModels"/>) at the demo's settings, trained into the cache on first use.</summary>
internal static class ModelArgument
{
    public const string Prefix = "builtin:";

    public static string Resolve(string model, CancellationToken cancellationToken)
    {
        if (!model.StartsWith(Prefix, StringComparison.Ordinal)) return model;
        var cache = new ModelCache(ModelCache.DefaultRoot);
        Console.Error.WriteLine($"fairscope: {model} comes from the model cache {cache.Root} (trained on first use, under a minute)");
        return new BiasInheritanceLab(LabSettings.Demo(), cache, Directory.GetCurrentDirectory()).ModelDirectory(model[Prefix.Length..], cancellationToken);
    }
}
