using System.Reflection;

namespace Fairscope;

/// <summary>Facts about this build of Fairscope.</summary>
public static class FairscopeInfo
{
    /// <summary>The library's informational version.</summary>
    public static string Version { get; } = typeof(FairscopeInfo).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
