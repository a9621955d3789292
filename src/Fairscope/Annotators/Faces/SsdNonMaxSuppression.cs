namespace Fairscope;

/// <summary>
/// face-api's own greedy non-maximum suppression (src/ssdMobilenetv1/nonMaxSuppression.ts), not TF's: candidates
/// scoring above the threshold in descending score order (stable for ties), each kept unless a kept box overlaps it with
/// IoU above <c>iouThreshold</c>, at most <c>maxOutputSize</c> kept. Boxes are (ymin, xmin, ymax, xmax) in any units.
/// </summary>
internal static class SsdNonMaxSuppression
{
    /// <summary>Indices of the kept boxes, best first. <paramref name="boxes"/> holds 4 values per box.</summary>
    public static List<int> Select(ReadOnlySpan<float> boxes, ReadOnlySpan<float> scores, int maxOutputSize, double iouThreshold, double scoreThreshold)
    {
        var candidates = new List<int>();
        for (int i = 0; i < scores.Length; i++)
            if (scores[i] > scoreThreshold) candidates.Add(i);
        var scoreCopy = scores.ToArray();
        candidates = [.. candidates.OrderByDescending(i => scoreCopy[i])]; // LINQ ordering is stable, as Array.prototype.sort
        var outputSize = Math.Min(maxOutputSize, scores.Length);
        var selected = new List<int>();
        foreach (var candidate in candidates)
        {
            if (selected.Count >= outputSize) break;
            var suppressed = false;
            for (int j = selected.Count - 1; j >= 0 && !suppressed; j--)
                suppressed = IoU(boxes, candidate, selected[j]) > iouThreshold;
            if (!suppressed) selected.Add(candidate);
        }
        return selected;
    }

    /// <summary>face-api's IOU: corners ordered per axis first; 0 when either area is not positive.</summary>
    private static double IoU(ReadOnlySpan<float> boxes, int i, int j)
    {
        double yminI = Math.Min(boxes[4 * i], boxes[4 * i + 2]), xminI = Math.Min(boxes[4 * i + 1], boxes[4 * i + 3]);
        double ymaxI = Math.Max(boxes[4 * i], boxes[4 * i + 2]), xmaxI = Math.Max(boxes[4 * i + 1], boxes[4 * i + 3]);
        double yminJ = Math.Min(boxes[4 * j], boxes[4 * j + 2]), xminJ = Math.Min(boxes[4 * j + 1], boxes[4 * j + 3]);
        double ymaxJ = Math.Max(boxes[4 * j], boxes[4 * j + 2]), xmaxJ = Math.Max(boxes[4 * j + 1], boxes[4 * j + 3]);
        double areaI = (ymaxI - yminI) * (xmaxI - xminI), areaJ = (ymaxJ - yminJ) * (xmaxJ - xminJ);
        if (areaI <= 0 || areaJ <= 0) return 0;
        double intersection = Math.Max(Math.Min(ymaxI, ymaxJ) - Math.Max(yminI, yminJ), 0) * Math.Max(Math.Min(xmaxI, xmaxJ) - Math.Max(xminI, xminJ), 0);
        return intersection / (areaI + areaJ - intersection);
    }
}
