using static TorchSharp.torch;

namespace Fairscope;

/// <summary>Converts between <see cref="RgbImage"/>s and the float tensors (N, 3, H, W) in [0, 1] the vision models read.</summary>
public static class ImageTensors
{
    /// <summary>The images as one (N, 3, H, W) float tensor in [0, 1]; every image must have the same size.</summary>
    public static Tensor FromImages(IReadOnlyList<RgbImage> images)
    {
        if (images.Count == 0) throw new FairscopeException("no images to convert");
        var (w, h) = (images[0].Width, images[0].Height);
        var data = new byte[images.Count * w * h * 3];
        for (int n = 0; n < images.Count; n++)
        {
            if (images[n].Width != w || images[n].Height != h) throw new FairscopeException($"image {n} is {images[n].Width}×{images[n].Height}, not {w}×{h}");
            images[n].Pixels.CopyTo(data, n * w * h * 3);
        }
        using var scope = NewDisposeScope();
        // HWC bytes → (N, H, W, 3) → (N, 3, H, W) floats.
        return tensor(data, ScalarType.Byte).view(images.Count, h, w, 3).permute(0, 3, 1, 2).to(ScalarType.Float32).div(255).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>The (N, 3, H, W) tensor in [0, 1] as RGB images (rounded, clamped).</summary>
    public static RgbImage[] ToImages(Tensor images)
    {
        var (n, h, w) = ((int)images.shape[0], (int)images.shape[2], (int)images.shape[3]);
        using var scope = NewDisposeScope();
        var bytes = images.detach().cpu().clamp(0, 1).mul(255).round().to(ScalarType.Byte).permute(0, 2, 3, 1).contiguous().data<byte>().ToArray();
        return [.. Enumerable.Range(0, n).Select(i => new RgbImage(w, h, bytes[(i * h * w * 3)..((i + 1) * h * w * 3)]))];
    }
}
