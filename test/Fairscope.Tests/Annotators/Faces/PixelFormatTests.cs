namespace Fairscope.Tests;

/// <summary><see cref="PixelFormat"/>: TF's resizeBilinear mappings, zero padding outside the image, normalisation and layouts.</summary>
public sealed class PixelFormatTests
{
    // A 3×3 image whose red channel is 0..8 (row-major), green 10× red, blue 100.
    private static readonly RgbImage Ramp = new(3, 3, [.. Enumerable.Range(0, 9).SelectMany(i => new[] { (byte)i, (byte)(10 * i), (byte)100 })]);

    private static float[] Write(PixelFormat format, RgbImage image, int left, int top, int side)
    {
        var output = new float[format.Length];
        format.Write(image, left, top, side, output);
        return output;
    }

    private static PixelFormat Plain(int size, bool halfPixel, TensorLayout layout = TensorLayout.Nchw, bool bgr = false) =>
        new(size, 1, [0, 0, 0], [1, 1, 1], bgr, layout, halfPixel);

    [Fact]
    public void Legacy_mapping_samples_at_out_times_scale()
    {
        // 3 → 2: scale 1.5, source rows/columns 0 and 1.5; (1, 1) interpolates red 4, 5, 7, 8 half way: 6.
        var red = Write(Plain(2, halfPixel: false), Ramp, 0, 0, 3)[..4];
        Assert.Equal([0f, 1.5f, 4.5f, 6f], red);
    }

    [Fact]
    public void Half_pixel_mapping_samples_at_pixel_centres()
    {
        // 3 → 2 with half-pixel centres: source (i + ½)·1.5 − ½ = 0.25 and 1.75; red is 3·row + column.
        var red = Write(Plain(2, halfPixel: true), Ramp, 0, 0, 3)[..4];
        Assert.Equal([1f, 2.5f, 5.5f, 7f], red);
    }

    [Fact]
    public void The_window_beyond_the_image_is_zero_as_padding_to_a_square()
    {
        // A 4-pixel window from (−1, 0), unresized: column 0 and row 3 lie outside the 3×3 image.
        var red = Write(Plain(4, halfPixel: false), Ramp, -1, 0, 4)[..16];
        Assert.Equal([0f, 0, 1, 2, 0, 3, 4, 5, 0, 6, 7, 8, 0, 0, 0, 0], red);
    }

    [Fact]
    public void Normalisation_channel_order_and_layout_follow_the_format()
    {
        var format = new PixelFormat(1, 0.5f, [1, 2, 3], [2, 4, 8], Bgr: true, TensorLayout.Nhwc, HalfPixelCenters: false);
        // One pixel (window of 1 at (1, 1)): red 4, green 40, blue 100 → BGR (100, 40, 4), then (v·0.5 − mean)/std.
        Assert.Equal([(50f - 1) / 2, (20f - 2) / 4, (2f - 3) / 8], Write(format, Ramp, 1, 1, 1));
        var nchw = Write(Plain(2, halfPixel: false), Ramp, 0, 0, 2);
        Assert.Equal([0f, 1, 3, 4, 0, 10, 30, 40, 100, 100, 100, 100], nchw);
        var nhwc = Write(Plain(2, halfPixel: false, TensorLayout.Nhwc), Ramp, 0, 0, 2);
        Assert.Equal([0f, 0, 100, 1, 10, 100, 3, 30, 100, 4, 40, 100], nhwc);
    }
}
