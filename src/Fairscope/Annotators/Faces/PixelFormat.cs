namespace Fairscope;

/// <summary>
/// How an image region becomes one network input: resized to <see cref="Size"/>² by bilinear interpolation (TF's
/// resizeBilinear with alignCorners = false; <see cref="HalfPixelCenters"/> false is TF's legacy mapping that face-api
/// uses, true the OpenCV/PyTorch one), each 0–255 channel value v becomes (v·<see cref="Scale"/> − mean[c]) / std[c],
/// channels in RGB or BGR order, laid out per <see cref="Layout"/>.
/// </summary>
internal sealed record PixelFormat(int Size, float Scale, float[] Mean, float[] Std, bool Bgr, TensorLayout Layout, bool HalfPixelCenters)
{
    /// <summary>Values per image: size × size × 3.</summary>
    public int Length => Size * Size * 3;

    /// <summary>
    /// Writes the square window of <paramref name="side"/> pixels at (<paramref name="left"/>, <paramref name="top"/>)
    /// of <paramref name="image"/> into <paramref name="destination"/>. The window may reach outside the image: pixels
    /// there are 0, which is face-api's zero padding to a square (tf.fill then tf.concat) before the resize.
    /// </summary>
    public void Write(RgbImage image, int left, int top, int side, Span<float> destination)
    {
        var (xs, ys) = (Taps(side, left, image.Width), Taps(side, top, image.Height));
        var pixels = image.Pixels;
        int plane = Size * Size;
        Span<float> value = stackalloc float[3];
        for (int r = 0; r < Size; r++)
        {
            var (y0, y1, fy) = ys[r];
            for (int c = 0; c < Size; c++)
            {
                var (x0, x1, fx) = xs[c];
                for (int k = 0; k < 3; k++)
                {
                    // TF's interpolation order: along x on the two rows, then along y.
                    float topLeft = At(pixels, image.Width, x0, y0, k), topRight = At(pixels, image.Width, x1, y0, k);
                    float bottomLeft = At(pixels, image.Width, x0, y1, k), bottomRight = At(pixels, image.Width, x1, y1, k);
                    float upper = topLeft + (topRight - topLeft) * fx;
                    float lower = bottomLeft + (bottomRight - bottomLeft) * fx;
                    value[k] = upper + (lower - upper) * fy;
                }
                for (int k = 0; k < 3; k++)
                {
                    int channel = Bgr ? 2 - k : k;
                    float normalised = (value[channel] * Scale - Mean[k]) / Std[k];
                    destination[Layout == TensorLayout.Nchw ? k * plane + r * Size + c : (r * Size + c) * 3 + k] = normalised;
                }
            }
        }
    }

    private static float At(byte[] pixels, int width, int x, int y, int k) => x < 0 || y < 0 ? 0 : pixels[(y * width + x) * 3 + k];

    /// <summary>Per output index: the two source indices in image coordinates (−1 where outside the image, read as 0)
    /// and the interpolation weight, as TF computes them: in = out·scale (legacy) or (out + ½)·scale − ½, lower =
    /// max(⌊in⌋, 0), upper = min(⌈in⌉, side − 1), weight = in − ⌊in⌋, scale = side / size in float32.</summary>
    private (int Lower, int Upper, float Weight)[] Taps(int side, int offset, int extent)
    {
        float scale = (float)side / Size;
        var taps = new (int, int, float)[Size];
        for (int i = 0; i < Size; i++)
        {
            float source = HalfPixelCenters ? (i + 0.5f) * scale - 0.5f : i * scale;
            float floor = MathF.Floor(source);
            int lower = Math.Max((int)floor, 0), upper = Math.Min((int)MathF.Ceiling(source), side - 1);
            taps[i] = (Inside(offset + lower, extent), Inside(offset + upper, extent), source - floor);
        }
        return taps;
    }

    private static int Inside(int index, int extent) => index >= 0 && index < extent ? index : -1;
}
