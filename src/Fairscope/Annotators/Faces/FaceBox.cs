using System.Globalization;

namespace Fairscope;

/// <summary>A face's bounding box in pixels of the image it was found in (face-api's <c>detection.box</c>).</summary>
public readonly record struct FaceBox(double X, double Y, double Width, double Height)
{
    /// <summary>X + Width.</summary>
    public double Right => X + Width;

    /// <summary>Y + Height.</summary>
    public double Bottom => Y + Height;

    /// <summary>Intersection over union with <paramref name="other"/>; 0 when either box is empty.</summary>
    public double IoU(FaceBox other)
    {
        var intersection = Math.Max(0, Math.Min(Right, other.Right) - Math.Max(X, other.X)) * Math.Max(0, Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y));
        var union = Width * Height + other.Width * other.Height - intersection;
        return Width <= 0 || Height <= 0 || other.Width <= 0 || other.Height <= 0 ? 0 : intersection / union;
    }

    /// <summary>The whole-pixel region face-api crops for a face (dom/extractFaceTensors.ts): the box taken through
    /// <c>forSize</c> (relative and back), <c>clipAtImageBorders</c> and <c>floor</c>; null when nothing is left.</summary>
    public (int X, int Y, int Width, int Height)? CropRegion(int imageWidth, int imageHeight)
    {
        // forSize: box.rescale(1/size) then rescale(size), in doubles as JavaScript computes it.
        double x = X * (1.0 / imageWidth) * imageWidth, y = Y * (1.0 / imageHeight) * imageHeight;
        double right = x + Width * (1.0 / imageWidth) * imageWidth, bottom = y + Height * (1.0 / imageHeight) * imageHeight;
        double clippedX = Math.Max(x, 0), clippedY = Math.Max(y, 0);
        var region = ((int)Math.Floor(clippedX), (int)Math.Floor(clippedY),
            (int)Math.Floor(Math.Min(right - clippedX, imageWidth - clippedX)), (int)Math.Floor(Math.Min(bottom - clippedY, imageHeight - clippedY)));
        return region.Item3 > 0 && region.Item4 > 0 ? region : null;
    }

    /// <summary>E.g. <c>(413,355) 178×238</c>, rounded to whole pixels.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({X:0},{Y:0}) {Width:0}×{Height:0}");
}
