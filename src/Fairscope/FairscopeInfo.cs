using System.Reflection;

namespace Fairscope;

/// <summary>Facts about this build of Fairscope.</summary>
public static class FairscopeInfo
{
    /// <summary>The library's informational version.</summary>
    public static string Version { get; } = typeof(FairscopeInfo).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Where models, data and weights are cached: $FAIRSCOPE_CACHE, else $XDG_CACHE_HOME/fairscope, else ~/.cache/fairscope.</summary>
    public static string CacheRoot =>
        Environment.GetEnvironmentVariable("FAIRSCOPE_CACHE") is { Length: > 0 } explicitRoot ? explicitRoot
        : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "fairscope");
}
