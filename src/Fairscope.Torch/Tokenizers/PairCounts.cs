namespace Fairscope;

/// <summary>
/// <see cref="BpeTrainer"/>'s bookkeeping: how often each adjacent token pair occurs over the weighted words, which
/// words hold it, and a max-heap (count, then ordinal order of the pair's strings) to find the pair to merge next.
/// </summary>
internal sealed class PairCounts(List<string> tokens)
{
    private readonly Dictionary<long, long> _counts = [];
    private readonly Dictionary<long, HashSet<int>> _words = [];
    private readonly HashSet<long> _grown = [];
    private readonly PriorityQueue<long, (long Count, int Left, int Right)> _heap = new(new Order(tokens));

    public static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    public static (int Left, int Right) Split(long pair) => ((int)(pair >> 32), (int)(pair & 0xFFFFFFFF));

    /// <summary>Adds (or with a negative count, removes) one word's pairs, <paramref name="count"/> times each.</summary>
    public void AddWord(int[] word, long count, int wordIndex)
    {
        for (int i = 0; i + 1 < word.Length; i++)
        {
            long pair = Key(word[i], word[i + 1]);
            _counts[pair] = _counts.GetValueOrDefault(pair) + count;
            if (count <= 0) continue;
            _grown.Add(pair);
            if (!_words.TryGetValue(pair, out var set)) _words[pair] = set = [];
            set.Add(wordIndex);
        }
    }

    /// <summary>The words that held <paramref name="pair"/> at some point, in index order.</summary>
    public int[] WordsWith(long pair) => _words.TryGetValue(pair, out var set) ? set.Order().ToArray() : [];

    public void Remove(long pair)
    {
        _counts.Remove(pair);
        _words.Remove(pair);
    }

    /// <summary>Queues the pairs added to since the last call with their current counts. Duplicates are harmless:
    /// <see cref="TryTakeBest"/> skips or requeues entries whose count has changed.</summary>
    public void QueueChanged()
    {
        foreach (long pair in _grown)
        {
            var (left, right) = Split(pair);
            _heap.Enqueue(pair, (_counts[pair], left, right));
        }
        _grown.Clear();
    }

    /// <summary>Takes the most frequent pair, if it occurs at least <paramref name="minCount"/> times.</summary>
    public bool TryTakeBest(int minCount, out long pair)
    {
        while (_heap.TryDequeue(out pair, out var queued))
        {
            long current = _counts.GetValueOrDefault(pair);
            if (current <= 0) continue;
            if (current != queued.Count)
            {
                _heap.Enqueue(pair, (current, queued.Left, queued.Right)); // stale: requeue with its current count
                continue;
            }
            return current >= minCount; // the true maximum
        }
        return false;
    }

    /// <summary>Higher count first; ties by the left token's string, then the right's (ordinal).</summary>
    private sealed class Order(List<string> tokens) : IComparer<(long Count, int Left, int Right)>
    {
        public int Compare((long Count, int Left, int Right) x, (long Count, int Left, int Right) y)
        {
            int c = y.Count.CompareTo(x.Count);
            if (c == 0) c = string.CompareOrdinal(tokens[x.Left], tokens[y.Left]);
            if (c == 0) c = string.CompareOrdinal(tokens[x.Right], tokens[y.Right]);
            return c;
        }
    }
}
