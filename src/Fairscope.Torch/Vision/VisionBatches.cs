namespace Fairscope;

/// <summary>Draws image indices in epochs: a seeded shuffle of all indices, walked through, reshuffled when used up,
/// so every image is seen once per epoch and equal seeds give equal batches.</summary>
internal sealed class VisionBatches(int count, int seed)
{
    private readonly int[] _order = Enumerable.Range(0, count).ToArray();
    private int _next = count;

    /// <summary>The generator that shuffles; trainers draw their augmentation from it too.</summary>
    public Random Random { get; } = new(seed);

    /// <summary>The next <paramref name="size"/> indices.</summary>
    public long[] Next(int size)
    {
        var batch = new long[size];
        for (int i = 0; i < size; i++)
        {
            if (_next == _order.Length)
            {
                Random.Shuffle(_order);
                _next = 0;
            }
            batch[i] = _order[_next++];
        }
        return batch;
    }
}
