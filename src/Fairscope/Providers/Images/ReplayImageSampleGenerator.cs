using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Fairscope;

/// <summary>
/// Replays images generated elsewhere, like <see cref="ReplaySampleGenerator"/> does text: a folder laid out as
/// <c>FOLDER/PROMPT_ID/SAMPLE_INDEX.EXT</c> (a prompt id's '/' are sub-folders; files and folders starting with '.' are
/// skipped) or a manifest CSV with the columns <c>prompt_id,sample_index,file</c> (paths relative to the CSV). Loading
/// checks every entry (a prompt id of the suite, one file per sample, the file exists, is within the size limit and starts
/// like an image) and hashes the files; generation decodes a file and stores it in the run's <see cref="ImageStore"/>,
/// so a file whose data is corrupt is a failed sample whose error names it.
/// </summary>
public sealed class ReplayImageSampleGenerator : ISampleGenerator
{
    private readonly Dictionary<(string PromptId, int Index), string> _files;
    private readonly ImageStore _images;
    private readonly string _path;

    private ReplayImageSampleGenerator(string path, Dictionary<(string PromptId, int Index), string> files, string contentHash, ImageStore images)
    {
        (_path, _files, ContentHash, _images) = (path, files, contentHash, images);
        MaxSamplesPerPrompt = files.Keys.Max(k => k.Index) + 1;
    }

    /// <summary>SHA-256 over every (prompt id, sample index, file content hash): part of the run's identity, so resuming
    /// with other images is refused, while moving the folder or switching to a manifest of the same images is not.</summary>
    public string ContentHash { get; }

    /// <summary>One more than the highest sample index of any prompt: the natural --samples for these images.</summary>
    public int MaxSamplesPerPrompt { get; }

    /// <summary>Reads and checks a folder or manifest CSV at <paramref name="path"/> against <paramref name="suite"/>.</summary>
    public static ReplayImageSampleGenerator Load(string path, Suite suite, ImageStore images)
    {
        var entries = Directory.Exists(path) ? FromFolder(path)
            : File.Exists(path) ? FromManifest(path)
            : throw new FairscopeException($"replay images {path} do not exist; give a folder of PROMPT_ID/SAMPLE_INDEX.EXT files or a CSV manifest (prompt_id,sample_index,file)");
        var known = suite.Prompts.Select(p => p.Id).ToHashSet();
        var files = new Dictionary<(string PromptId, int Index), string>();
        var hashes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (where, promptId, index, file) in entries)
        {
            if (!known.Contains(promptId))
                throw new FairscopeException($"{where}: prompt id '{promptId}' is not in suite '{suite.Name}' (ids look like '{suite.Prompts[0].Id}')");
            if (files.TryGetValue((promptId, index), out var other))
                throw new FairscopeException($"{where}: prompt '{promptId}' sample {index} already has an image ({other})");
            hashes.Add($"{promptId}\n{index}\n{HashOf(file, where)}\n");
            files[(promptId, index)] = file;
        }
        if (files.Count == 0) throw new FairscopeException($"replay images {path} hold no images");
        var contentHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(hashes))));
        return new ReplayImageSampleGenerator(path, files, contentHash, images);
    }

    private static IEnumerable<(string Where, string PromptId, int Index, string File)> FromFolder(string folder)
    {
        var root = Path.GetFullPath(folder);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var parts = Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar);
            if (parts.Any(p => p.StartsWith('.'))) continue;
            if (parts.Length < 2)
                throw new FairscopeException($"{file}: an image must lie in the folder of its prompt id ({folder}/PROMPT_ID/SAMPLE_INDEX.EXT)");
            var stem = Path.GetFileNameWithoutExtension(parts[^1]);
            if (!int.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                throw new FairscopeException($"{file}: the file name must be the sample index, e.g. 0.png, not '{parts[^1]}'");
            yield return (file, string.Join('/', parts[..^1]), index, file);
        }
    }

    private static IEnumerable<(string Where, string PromptId, int Index, string File)> FromManifest(string csv)
    {
        foreach (var row in ImageManifest.Read(csv, "prompt_id", "sample_index").Rows)
        {
            var (promptId, rawIndex) = (row.Fields["prompt_id"], row.Fields["sample_index"]);
            if (promptId.Length == 0) throw new FairscopeException($"{row.Where}: prompt_id must not be empty");
            if (!int.TryParse(rawIndex, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                throw new FairscopeException($"{row.Where}: sample_index '{rawIndex}' must be a whole number ≥ 0");
            yield return (row.Where, promptId, index, row.File);
        }
    }

    // Reads the whole file for its hash, so the same pass checks that it is within the limit and looks like an image.
    private static string HashOf(string file, string where)
    {
        var bytes = File.ReadAllBytes(file);
        var name = where == file ? "the file" : file;
        if (bytes.Length > ImageDecoder.MaxEncodedBytes)
            throw new FairscopeException($"{where}: {name} is {bytes.Length} bytes, over the {ImageDecoder.MaxEncodedBytes >> 20} MiB image limit");
        if (ImageDecoder.MediaTypeOf(bytes) is null)
            throw new FairscopeException($"{where}: {name} is not an image (PNG, JPEG, WebP, GIF or BMP expected)");
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <inheritdoc />
    public ValueTask<GeneratedSample> GenerateAsync(SampleRequest request, CancellationToken cancellationToken)
    {
        if (!_files.TryGetValue((request.Prompt.Id, request.SampleIndex), out var file))
            throw new InvalidDataException($"{_path} has no image for prompt '{request.Prompt.Id}' sample {request.SampleIndex}");
        var bytes = File.ReadAllBytes(file);
        ImageDecoder.Decode(bytes, file);
        return ValueTask.FromResult(new GeneratedSample(_images.Put(bytes, file), "replay"));
    }

    /// <inheritdoc />
    public void Dispose() { }
}
