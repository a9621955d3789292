namespace Fairscope.Tests;

/// <summary><see cref="SsdNonMaxSuppression"/> follows face-api's nonMaxSuppression.ts.</summary>
public sealed class SsdNonMaxSuppressionTests
{
    // (ymin, xmin, ymax, xmax): A; B overlaps A with IoU 0.9/1.1 ≈ 0.82; C apart; D, inside C, has IoU exactly 0.5 with it; E scores too low.
    private static readonly float[] Boxes = [0, 0, 1, 1, 0, 0.1f, 1, 1.1f, 2, 2, 3, 3, 2, 2, 3, 2.5f, 5, 5, 6, 6];

    [Fact]
    public void Keeps_the_best_of_overlapping_boxes_above_the_threshold()
    {
        Assert.Equal([0, 2, 3], SsdNonMaxSuppression.Select(Boxes, [0.9f, 0.8f, 0.7f, 0.6f, 0.5f], 100, 0.5, 0.5));
    }

    [Fact]
    public void Orders_by_score_and_stops_at_the_maximum()
    {
        Assert.Equal([2, 1], SsdNonMaxSuppression.Select(Boxes, [0.7f, 0.8f, 0.9f, 0.6f, 0.1f], 2, 0.5, 0.5));
    }

    [Fact]
    public void Equal_scores_keep_their_order()
    {
        Assert.Equal([2, 0, 4], SsdNonMaxSuppression.Select(Boxes, [0.6f, 0.1f, 0.9f, 0.1f, 0.6f], 100, 0.5, 0.5));
    }
}
