namespace Fairscope.Tests;

/// <summary>Tiny real images for tests that store or send images.</summary>
internal static class TestImages
{
    /// <summary>A <paramref name="size"/>×<paramref name="size"/> PNG of one colour.</summary>
    public static byte[] SolidPng(byte r, byte g, byte b, int size = 4)
    {
        var pixels = new byte[size * size * 3];
        for (var i = 0; i < pixels.Length; i += 3) (pixels[i], pixels[i + 1], pixels[i + 2]) = (r, g, b);
        return ImageDecoder.EncodePng(new RgbImage(size, size, pixels));
    }
}
