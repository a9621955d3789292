namespace Fairscope;

/// <summary>Tiles equally sized images into one grid, so a person can look at many generated or rendered images at once.</summary>
public static class ContactSheet
{
    /// <summary>
    /// The images in rows of <paramref name="columns"/>, each enlarged <paramref name="scale"/> times by pixel
    /// repetition (small images stay sharp), separated by <paramref name="gap"/> white pixels.
    /// </summary>
    public static RgbImage Tile(IReadOnlyList<RgbImage> images, int columns, int scale = 2, int gap = 2)
    {
        if (images.Count == 0) throw new FairscopeException("a contact sheet needs at least one image");
        if (columns < 1 || scale < 1 || gap < 0) throw new FairscopeException($"contact sheet: columns ({columns}) and scale ({scale}) must be at least 1, gap ({gap}) at least 0");
        var (w, h) = (images[0].Width, images[0].Height);
        if (images.FirstOrDefault(i => i.Width != w || i.Height != h) is { } other)
            throw new FairscopeException($"contact sheet: every image must be {w}×{h}, not {other.Width}×{other.Height}");
        int rows = (images.Count + columns - 1) / columns, cols = Math.Min(columns, images.Count);
        int cellW = w * scale + gap, cellH = h * scale + gap;
        int width = cols * cellW + gap, height = rows * cellH + gap;
        var pixels = new byte[width * height * 3];
        Array.Fill(pixels, (byte)255);
        for (int n = 0; n < images.Count; n++)
        {
            int x0 = gap + n % columns * cellW, y0 = gap + n / columns * cellH;
            var source = images[n].Pixels;
            for (int y = 0; y < h * scale; y++)
            for (int x = 0; x < w * scale; x++)
            {
                int from = (y / scale * w + x / scale) * 3, to = ((y0 + y) * width + x0 + x) * 3;
                pixels[to] = source[from];
                pixels[to + 1] = source[from + 1];
                pixels[to + 2] = source[from + 2];
            }
        }
        return new RgbImage(width, height, pixels);
    }
}
