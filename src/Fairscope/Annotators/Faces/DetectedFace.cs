using System.Globalization;

namespace Fairscope;

/// <summary>A face the detector found: its box in pixels and the detector's confidence (sigmoid score, 0–1).</summary>
public sealed record DetectedFace(FaceBox Box, double Score)
{
    /// <summary>The face's pixels as face-api crops them for age and gender (<see cref="FaceBox.CropRegion"/>), or null
    /// when the box lies outside the image.</summary>
    public RgbImage? Crop(RgbImage image) =>
        Box.CropRegion(image.Width, image.Height) is var (x, y, w, h) ? image.Crop(x, y, w, h) : null;

    /// <summary>E.g. <c>(413,355) 178×238 score 0.995</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Box} score {Score:0.000}");
}
