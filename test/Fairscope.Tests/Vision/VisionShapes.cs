using static TorchSharp.torch;

namespace Fairscope.Tests;

/// <summary>A toy image world for the vision tests: on a grey background of random shade, one square of one of four
/// colours lies somewhere inside one of the four quadrants.</summary>
internal static class VisionShapes
{
    private static readonly float[][] Colours = [[0.9f, 0.1f, 0.1f], [0.1f, 0.8f, 0.2f], [0.2f, 0.3f, 0.9f], [0.9f, 0.9f, 0.2f]];

    /// <summary><paramref name="count"/> images (count, 3, size, size) with each one's colour and quadrant (0..3).</summary>
    public static (Tensor Images, long[] Colour, long[] Quadrant) Make(int count, int size, int seed)
    {
        var random = new Random(seed);
        int half = size / 2, side = 3 * half / 4;
        var pixels = new float[count * 3 * size * size];
        var colour = new long[count];
        var quadrant = new long[count];
        for (int i = 0; i < count; i++)
        {
            colour[i] = random.Next(4);
            quadrant[i] = random.Next(4);
            float background = 0.1f + 0.2f * random.NextSingle();
            int top = (int)(quadrant[i] / 2) * half + random.Next(half - side + 1);
            int left = (int)(quadrant[i] % 2) * half + random.Next(half - side + 1);
            for (int c = 0; c < 3; c++)
            {
                for (int y = 0; y < size; y++)
                {
                    for (int x = 0; x < size; x++)
                    {
                        bool inside = y >= top && y < top + side && x >= left && x < left + side;
                        pixels[((i * 3 + c) * size + y) * size + x] = inside ? Colours[colour[i]][c] : background;
                    }
                }
            }
        }
        return (tensor(pixels).view(count, 3, size, size), colour, quadrant);
    }
}
