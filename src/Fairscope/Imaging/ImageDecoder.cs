using SkiaSharp;

namespace Fairscope;

/// <summary>
/// Recognises and decodes image files with SkiaSharp (libjpeg-turbo, libpng, libwebp). Every image a provider
/// returns passes through <see cref="MediaTypeOf"/> before it is stored, so a text error page or a truncated
/// download is a failed sample, not a stored "image". EXIF orientation is not applied: generated images carry
/// none, and the JavaScript face reference ignores it too.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Largest encoded image accepted (bytes): a response over it is refused, not stored.</summary>
    public const int MaxEncodedBytes = 32 << 20;

    /// <summary>Largest decoded size accepted (pixels), so a decompression bomb cannot exhaust memory.</summary>
    public const long MaxPixels = 64L << 20;

    /// <summary>The media type from the file's magic bytes (PNG, JPEG, WebP, GIF, BMP), or null when it is none of them.</summary>
    public static string? MediaTypeOf(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "image/webp",
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', ..] => "image/gif",
        [(byte)'B', (byte)'M', ..] => "image/bmp",
        _ => null,
    };

    /// <summary>File extension (without the dot) for a media type from <see cref="MediaTypeOf"/>.</summary>
    public static string ExtensionOf(string mediaType) => mediaType switch
    {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/webp" => "webp",
        "image/gif" => "gif",
        "image/bmp" => "bmp",
        _ => throw new ArgumentException($"not an image media type: {mediaType}", nameof(mediaType)),
    };

    /// <summary>Decodes to RGB; an alpha channel, if any, is dropped and the stored colour values kept.
    /// <paramref name="what"/> names the image in the error (a file, or a prompt id and sample).</summary>
    public static RgbImage Decode(ReadOnlySpan<byte> bytes, string what)
    {
        if (bytes.Length > MaxEncodedBytes)
            throw new FairscopeException($"{what}: {bytes.Length} bytes is over the {MaxEncodedBytes >> 20} MiB image limit");
        if (MediaTypeOf(bytes) is null)
            throw new FairscopeException($"{what}: not an image (PNG, JPEG, WebP, GIF or BMP expected; the data starts {Preview(bytes)})");
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
            ?? throw new FairscopeException($"{what}: the image data is corrupt or truncated and cannot be decoded");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if ((long)width * height > MaxPixels)
            throw new FairscopeException($"{what}: {width}×{height} is over the {MaxPixels >> 20} megapixel limit");
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        unsafe
        {
            fixed (byte* p = rgba)
            {
                var result = codec.GetPixels(info, (IntPtr)p);
                if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
                    throw new FairscopeException($"{what}: the image cannot be decoded ({result})");
                if (result == SKCodecResult.IncompleteInput)
                    throw new FairscopeException($"{what}: the image is truncated (incomplete data)");
            }
        }
        var rgb = new byte[width * height * 3];
        for (int i = 0, j = 0; i < rgba.Length; i += 4, j += 3)
        {
            rgb[j] = rgba[i];
            rgb[j + 1] = rgba[i + 1];
            rgb[j + 2] = rgba[i + 2];
        }
        return new RgbImage(width, height, rgb);
    }

    /// <summary>Decodes a file; errors name the file.</summary>
    public static RgbImage DecodeFile(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FairscopeException($"{path}: cannot read the image ({e.Message})");
        }
        return Decode(bytes, path);
    }

    /// <summary>Encodes RGB as PNG (lossless: used for pixels that must survive a round trip exactly).</summary>
    public static byte[] EncodePng(RgbImage image)
    {
        using var bitmap = ToBitmap(image);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>The image resampled to <paramref name="width"/>×<paramref name="height"/> (linear filtering with mipmaps,
    /// so a large image shrinks without aliasing): what a model with a fixed input size is shown.</summary>
    public static RgbImage Resize(RgbImage image, int width, int height)
    {
        if (image.Width == width && image.Height == height) return image;
        using var bitmap = ToBitmap(image);
        using var resized = bitmap.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        var rgba = resized.Bytes;
        var pixels = new byte[width * height * 3];
        for (int i = 0, j = 0; j < pixels.Length; i += 4, j += 3)
            (pixels[j], pixels[j + 1], pixels[j + 2]) = (rgba[i], rgba[i + 1], rgba[i + 2]);
        return new RgbImage(width, height, pixels);
    }

    /// <summary>A JPEG thumbnail whose longer side is <paramref name="size"/> pixels (for reports).</summary>
    public static byte[] Thumbnail(RgbImage image, int size, int quality = 75)
    {
        var scale = Math.Min(1.0, (double)size / Math.Max(image.Width, image.Height));
        var (w, h) = (Math.Max(1, (int)Math.Round(image.Width * scale)), Math.Max(1, (int)Math.Round(image.Height * scale)));
        using var bitmap = ToBitmap(image);
        using var resized = bitmap.Resize(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        using var data = resized.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    private static SKBitmap ToBitmap(RgbImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var rgba = new byte[image.Width * image.Height * 4];
        for (int i = 0, j = 0; j < image.Pixels.Length; i += 4, j += 3)
        {
            rgba[i] = image.Pixels[j];
            rgba[i + 1] = image.Pixels[j + 1];
            rgba[i + 2] = image.Pixels[j + 2];
            rgba[i + 3] = 255;
        }
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }

    /// <summary>The first bytes as printable ASCII (others as '.'), quoted, or <c>empty</c>: what an error shows of data that
    /// is not what it should be, without dumping binary into a terminal.</summary>
    public static string Preview(ReadOnlySpan<byte> bytes, int length = 16)
    {
        var head = bytes[..Math.Min(length, bytes.Length)];
        var text = new string([.. System.Text.Encoding.ASCII.GetString(head).Select(c => c is >= ' ' and <= '~' ? c : '.')]);
        return bytes.Length == 0 ? "empty" : $"'{text}'";
    }
}
