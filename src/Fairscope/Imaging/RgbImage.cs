namespace Fairscope;

/// <summary>
/// An image as 8-bit RGB, rows top to bottom, pixels left to right, channels interleaved (HWC): the layout TF.js
/// and the face networks read, so a crop or a resize here is the same arithmetic as in the JavaScript reference.
/// </summary>
public sealed class RgbImage
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied); its length must be width × height × 3.</summary>
    public RgbImage(int width, int height, byte[] pixels)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), $"an image needs a positive size, not {width}×{height}");
        if (pixels.Length != (long)width * height * 3)
            throw new ArgumentException($"{width}×{height} RGB needs {(long)width * height * 3} bytes, not {pixels.Length}", nameof(pixels));
        (Width, Height, Pixels) = (width, height, pixels);
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Width × height × 3 bytes, HWC.</summary>
    public byte[] Pixels { get; }

    /// <summary>The rectangle at (<paramref name="x"/>, <paramref name="y"/>) of the given size, which must lie inside the image.</summary>
    public RgbImage Crop(int x, int y, int width, int height)
    {
        if (x < 0 || y < 0 || width < 1 || height < 1 || x + width > Width || y + height > Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"crop {width}×{height} at ({x},{y}) does not lie inside {Width}×{Height}");
        var pixels = new byte[width * height * 3];
        for (int row = 0; row < height; row++)
            Array.Copy(Pixels, ((y + row) * Width + x) * 3, pixels, row * width * 3, width * 3);
        return new RgbImage(width, height, pixels);
    }
}
