namespace Fairscope.Tests;

/// <summary><see cref="FaceBox"/>: IoU and the crop region face-api's extractFaceTensors takes.</summary>
public sealed class FaceBoxTests
{
    [Fact]
    public void Crop_region_is_clipped_at_the_borders_then_floored()
    {
        Assert.Equal((0, 10, 16, 30), new FaceBox(-3.5, 10.7, 20, 30).CropRegion(100, 100));
        Assert.Equal((90, 5, 9, 10), new FaceBox(90.2, 5, 20, 10).CropRegion(100, 100));
        Assert.Equal((12, 20, 30, 40), new FaceBox(12.9, 20.2, 30.5, 40.9).CropRegion(100, 100));
    }

    [Fact]
    public void A_box_outside_the_image_has_no_crop()
    {
        Assert.Null(new FaceBox(120, 10, 20, 20).CropRegion(100, 100));
        var image = new RgbImage(100, 100, new byte[100 * 100 * 3]);
        Assert.Null(new DetectedFace(new FaceBox(10, 10, 0.5, 20), 0.9).Crop(image));
        Assert.Equal((3, 4), new DetectedFace(new FaceBox(10, 10, 3.2, 4.9), 0.9).Crop(image) is { } crop ? (crop.Width, crop.Height) : default);
    }

    [Fact]
    public void IoU_is_overlap_over_union()
    {
        var a = new FaceBox(0, 0, 10, 10);
        Assert.Equal(1, a.IoU(a));
        Assert.Equal(50.0 / 150, a.IoU(new FaceBox(5, 0, 10, 10)), 12);
        Assert.Equal(0, a.IoU(new FaceBox(20, 20, 5, 5)));
        Assert.Equal(0, a.IoU(new FaceBox(0, 0, 0, 10)));
    }
}
