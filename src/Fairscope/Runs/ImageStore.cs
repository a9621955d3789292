using System.Security.Cryptography;

namespace Fairscope;

/// <summary>
/// Generated images, stored content-addressed in an <c>images/</c> folder next to the run's store: the file name is
/// the SHA-256 of the bytes, so a retried or resumed sample never duplicates a file and a sample's output (its
/// <see cref="SampleRecord.Output"/>) is the image's reference, e.g. <c>images/3f…a1.png</c>, relative to the run folder.
/// Files are written to a temporary name and moved into place, so a killed process never leaves half an image.
/// </summary>
public sealed class ImageStore(string runFolder)
{
    /// <summary>The folder's name inside the run folder.</summary>
    public const string FolderName = "images";

    /// <summary>The run folder the references are relative to.</summary>
    public string RunFolder { get; } = Path.GetFullPath(runFolder);

    /// <summary>Checks that <paramref name="bytes"/> is an image of a known type and within the size limit, stores it
    /// unless present, and returns its reference. <paramref name="what"/> names it in errors.</summary>
    public string Put(ReadOnlySpan<byte> bytes, string what)
    {
        if (bytes.Length > ImageDecoder.MaxEncodedBytes)
            throw new FairscopeException($"{what}: {bytes.Length} bytes is over the {ImageDecoder.MaxEncodedBytes >> 20} MiB image limit");
        var mediaType = ImageDecoder.MediaTypeOf(bytes)
            ?? throw new FairscopeException($"{what}: the response is not an image (PNG, JPEG, WebP, GIF or BMP expected)");
        var reference = $"{FolderName}/{Convert.ToHexStringLower(SHA256.HashData(bytes))}.{ImageDecoder.ExtensionOf(mediaType)}";
        var path = PathOf(reference);
        if (File.Exists(path)) return reference;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
        return reference;
    }

    /// <summary>True when <paramref name="output"/> is an image reference rather than text.</summary>
    public static bool IsReference(string? output) =>
        output is not null && output.StartsWith(FolderName + "/", StringComparison.Ordinal) && !output.Contains("..", StringComparison.Ordinal)
        && output.IndexOfAny(['\n', '\\']) < 0;

    /// <summary>The file of a reference.</summary>
    public string PathOf(string reference) =>
        IsReference(reference) ? Path.Combine(RunFolder, reference) : throw new FairscopeException($"'{reference}' is not an image reference (images/HASH.EXT)");

    /// <summary>The stored bytes of a reference.</summary>
    public byte[] Read(string reference)
    {
        var path = PathOf(reference);
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FairscopeException($"{path}: the run's image is missing or unreadable ({e.Message}); regenerate it by deleting the sample, or restore the images/ folder");
        }
    }

    /// <summary>The stored image of a reference, decoded.</summary>
    public RgbImage Load(string reference) => ImageDecoder.Decode(Read(reference), PathOf(reference));
}
