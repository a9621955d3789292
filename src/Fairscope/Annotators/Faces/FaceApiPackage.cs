using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Fairscope;

/// <summary>
/// The MIT-licensed <c>@vladmandic/face-api</c> npm package whose TF.js weights the face annotators load. The weights
/// are not committed or bundled: <see cref="FetchAsync"/> fetches the pinned version with <c>npm pack</c> (from whatever
/// npm registry the machine is configured for) and keeps its <c>model/</c> folder in the cache.
/// </summary>
public static class FaceApiPackage
{
    /// <summary>Package name and the version the networks were verified against.</summary>
    public const string Name = "@vladmandic/face-api", Version = "1.7.15";

    /// <summary>Environment variable naming a model folder, used when no folder is passed.</summary>
    public const string ModelsVariable = "FAIRSCOPE_FACE_MODELS";

    /// <summary>Where <see cref="FetchAsync"/> puts the weights.</summary>
    public static string CachedModelDirectory => Path.Combine(FairscopeInfo.CacheRoot, $"face-api-{Version}", "model");

    /// <summary>The model folder to use: <paramref name="explicitDirectory"/>, else $FAIRSCOPE_FACE_MODELS, else the cached
    /// copy; throws with the fix when none holds the weights.</summary>
    public static string Locate(string? explicitDirectory)
    {
        var directory = explicitDirectory ?? (Environment.GetEnvironmentVariable(ModelsVariable) is { Length: > 0 } v ? v : CachedModelDirectory);
        if (File.Exists(Path.Combine(directory, FaceApiModels.DetectorManifest))) return directory;
        throw new FairscopeException(explicitDirectory is null && Environment.GetEnvironmentVariable(ModelsVariable) is not { Length: > 0 }
            ? $"the face-api weights are not installed: run 'fairscope models fetch face-api' (npm pack {Name}@{Version}), or pass --face-models DIR"
            : $"{directory}: no {FaceApiModels.DetectorManifest} here; pass the model/ folder of {Name}@{Version} (npm pack {Name}@{Version} and extract it)");
    }

    /// <summary>Fetches the package with <c>npm pack</c> and installs its model folder in the cache (atomically: a
    /// temporary folder renamed into place). Returns the model folder.</summary>
    public static async Task<string> FetchAsync(CancellationToken cancellationToken)
    {
        var target = CachedModelDirectory;
        if (File.Exists(Path.Combine(target, FaceApiModels.DetectorManifest))) return target;
        var work = Directory.CreateTempSubdirectory("fairscope-face-api-").FullName;
        try
        {
            var tarball = await PackAsync(work, cancellationToken);
            var staging = Path.Combine(work, "model");
            Directory.CreateDirectory(staging);
            await using (var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
            {
                using var tar = new TarReader(gzip);
                while (await tar.GetNextEntryAsync(cancellationToken: cancellationToken) is { } entry)
                {
                    // npm tarballs put everything under package/; keep only the weights, by file name (no paths from the archive).
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !entry.Name.StartsWith("package/model/", StringComparison.Ordinal)) continue;
                    var name = Path.GetFileName(entry.Name);
                    if (name.Length == 0 || name != entry.Name["package/model/".Length..]) continue;
                    await entry.ExtractToFileAsync(Path.Combine(staging, name), overwrite: true, cancellationToken);
                }
            }
            if (!File.Exists(Path.Combine(staging, FaceApiModels.DetectorManifest)))
                throw new FairscopeException($"{Name}@{Version} from npm has no model/{FaceApiModels.DetectorManifest}; the package is not what Fairscope expects");
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try { Directory.Move(staging, target); }
            catch (IOException) // the temporary folder is on another file system: copy, then rename within the cache
            {
                var copy = $"{target}.{Environment.ProcessId}.tmp";
                Directory.CreateDirectory(copy);
                foreach (var file in Directory.GetFiles(staging)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
                Directory.Move(copy, target);
            }
            return target;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<string> PackAsync(string folder, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("npm", ["pack", $"{Name}@{Version}", "--pack-destination", folder, "--silent"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder,
        };
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new FairscopeException($"npm is not on PATH: install Node.js and npm, or fetch {Name}@{Version} yourself and pass its model/ folder with --face-models");
        }
        using (process)
        using (cancellationToken.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
        {
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
                throw new FairscopeException($"npm pack {Name}@{Version} failed (exit {process.ExitCode}): {(await error).Trim().Split('\n').LastOrDefault()}");
        }
        return Directory.GetFiles(folder, "*.tgz").SingleOrDefault()
            ?? throw new FairscopeException($"npm pack {Name}@{Version} wrote no tarball");
    }
}
