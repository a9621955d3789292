using System.Diagnostics;

namespace Fairscope.Tests;

/// <summary>Where the tests find @vladmandic/face-api (installed into test/node by <c>npm ci --prefix test/node</c>), and
/// the models loaded once per test run.</summary>
internal static class FaceApiTestSupport
{
    public static string NodeDirectory => Path.Combine(RepositoryPaths.Root, "test", "node");
    public static string PackageDirectory => Path.Combine(NodeDirectory, "node_modules", "@vladmandic", "face-api");
    public static string ModelDirectory => Path.Combine(PackageDirectory, "model");
    public static string Photo(string name) => Path.Combine(PackageDirectory, "demo", name);

    private static readonly Lazy<FaceApiModels> SharedModels = new(() => FaceApiModels.Load(ModelDirectory));

    /// <summary>Both networks, loaded on first use and kept for the test run (sessions are thread-safe).</summary>
    public static FaceApiModels Models => SharedModels.Value;

    /// <summary>Why the weights are unavailable, or null.</summary>
    public static string? WeightsUnavailable() => File.Exists(Path.Combine(ModelDirectory, FaceApiModels.DetectorManifest))
        ? null : "the @vladmandic/face-api npm package is not installed: run 'npm ci --prefix test/node' (.ci/run does)";

    /// <summary>Why node or the weights are unavailable, or null.</summary>
    public static string? NodeUnavailable()
    {
        return WeightsUnavailable() ?? NodeRuntime.Unavailable();
    }

    /// <summary>A plain attribute with uniform target.</summary>
    public static DemographicAttribute Attribute(string name, params string[] categories) =>
        new(name, categories, DemographicAttribute.Uniform(categories), []);

    /// <summary>Annotation input for an output (an image reference or text).</summary>
    public static AnnotationInput Input(string output) =>
        new(new SuitePrompt("p", "A portrait.", new Dictionary<string, string>(), new Dictionary<string, IReadOnlyDictionary<string, double>>()), output);
}

/// <summary>A fact that needs the face-api weights in test/node; skipped, with the reason, only where they are absent.</summary>
public sealed class FaceApiFactAttribute : FactAttribute
{
    public FaceApiFactAttribute()
    {
        if (FaceApiTestSupport.WeightsUnavailable() is { } reason) Skip = reason;
    }
}

/// <summary>A fact that needs node and the face-api npm packages in test/node; skipped, with the reason, only where either is absent.</summary>
public sealed class FaceApiNodeFactAttribute : FactAttribute
{
    public FaceApiNodeFactAttribute()
    {
        if (FaceApiTestSupport.NodeUnavailable() is { } reason) Skip = reason;
    }
}
