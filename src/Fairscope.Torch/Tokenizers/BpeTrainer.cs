namespace Fairscope;

/// <summary>
/// Trains a GPT-2-style byte-level BPE vocabulary. Text is pre-tokenized with <see cref="Gpt2PreTokenizer"/> (special
/// tokens in the corpus are cut out and never learned from), each piece becomes its UTF-8 bytes as
/// <see cref="Gpt2ByteAlphabet"/> symbols, and the most frequent adjacent pair is merged until the target size is
/// reached. Ties go to the pair that sorts first (ordinal on the left token, then the right), so the same corpus
/// always gives byte-identical files. Ids: the 256 byte symbols in GPT-2's order, then the merges in the order learned,
/// then <c>&lt;|endoftext|&gt;</c> and the caller's special tokens. (A merge whose result already is a token, reached
/// through another pair, reuses that token's id, as the Hugging Face trainer does.)
/// </summary>
/// <remarks>
/// Distinct pieces are counted once; after that a merge only revisits the words that contain its pair (found through
/// a pair → words index) and updates pair counts by subtracting the word's old pairs and adding its new ones. The
/// best pair comes from a max-heap: every pair whose count grows is queued afresh, and an entry whose count has
/// changed since is re-queued with its current count when popped, so the first up-to-date entry popped is the maximum.
/// </remarks>
public static class BpeTrainer
{
    /// <summary>Learns a vocabulary from <paramref name="corpus"/>.</summary>
    public static BpeVocabulary Train(IEnumerable<string> corpus, BpeTrainerOptions? options = null)
    {
        options ??= new BpeTrainerOptions();
        var specials = SpecialTokens(options);
        if (options.VocabularySize < 256 + specials.Count)
            throw new ArgumentException($"VocabularySize {options.VocabularySize} is below 256 byte tokens + {specials.Count} special tokens", nameof(options));
        if (options.MinFrequency < 1) throw new ArgumentException("MinFrequency must be at least 1", nameof(options));

        var tokens = Gpt2ByteAlphabet.Symbols.Select(c => c.ToString()).ToList();
        var ids = tokens.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i, StringComparer.Ordinal);
        var idOfByte = new int[256];
        for (int id = 0; id < 256; id++)
        {
            Gpt2ByteAlphabet.TryGetByte(tokens[id][0], out var b);
            idOfByte[b] = id;
        }

        var (words, counts) = CountWords(corpus, specials, idOfByte);
        var pairs = new PairCounts(tokens);
        for (int w = 0; w < words.Count; w++) pairs.AddWord(words[w], counts[w], w);
        pairs.QueueChanged();

        var merges = new List<(string, string)>();
        var specialSet = specials.ToHashSet(StringComparer.Ordinal);
        int target = options.VocabularySize - specials.Count;
        while (tokens.Count < target && pairs.TryTakeBest(options.MinFrequency, out long pair))
        {
            var (left, right) = PairCounts.Split(pair);
            string merged = tokens[left] + tokens[right];
            if (specialSet.Contains(merged)) continue; // a special token's text is never also a learned token
            // Two pairs can spell the same string ("a" + "bc", "ab" + "c"): both are merges, and the token is one id.
            if (!ids.TryGetValue(merged, out int newId))
            {
                newId = tokens.Count;
                tokens.Add(merged);
                ids.Add(merged, newId);
            }
            merges.Add((tokens[left], tokens[right]));
            foreach (int w in pairs.WordsWith(pair))
            {
                var word = words[w];
                if (!Contains(word, left, right)) continue; // the index keeps words that no longer hold the pair
                pairs.AddWord(word, -counts[w], w);
                words[w] = word = Merge(word, left, right, newId);
                pairs.AddWord(word, counts[w], w);
            }
            pairs.Remove(pair);
            pairs.QueueChanged();
        }

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = 0; id < tokens.Count; id++) vocab.Add(tokens[id], id);
        var specialIds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var special in specials)
        {
            specialIds.Add(special, vocab.Count);
            vocab.Add(special, vocab.Count);
        }
        return new BpeVocabulary(vocab, merges, specialIds);
    }

    private static List<string> SpecialTokens(BpeTrainerOptions options)
    {
        var specials = new List<string> { BpeVocabulary.EndOfText };
        foreach (var special in options.SpecialTokens)
        {
            if (string.IsNullOrEmpty(special)) throw new ArgumentException("a special token is empty", nameof(options));
            if (special.Length == 1 && Gpt2ByteAlphabet.TryGetByte(special[0], out _))
                throw new ArgumentException($"special token '{special}' is one of the 256 byte tokens", nameof(options));
            if (!specials.Contains(special, StringComparer.Ordinal)) specials.Add(special);
        }
        return specials;
    }

    /// <summary>Counts the distinct pre-tokenized pieces, each as byte-symbol ids, in order of first appearance.</summary>
    private static (List<int[]> Words, List<long> Counts) CountWords(IEnumerable<string> corpus, List<string> specials, int[] idOfByte)
    {
        var specialRegex = Gpt2PreTokenizer.SpecialTokenRegex(specials);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var words = new List<int[]>();
        var counts = new List<long>();
        foreach (var text in corpus)
        {
            foreach (var (piece, isSpecial) in Gpt2PreTokenizer.Split(text, specialRegex))
            {
                if (isSpecial) continue;
                if (index.TryGetValue(piece, out int w))
                {
                    counts[w]++;
                    continue;
                }
                index.Add(piece, words.Count);
                words.Add(System.Text.Encoding.UTF8.GetBytes(piece).Select(b => idOfByte[b]).ToArray());
                counts.Add(1);
            }
        }
        return (words, counts);
    }

    private static bool Contains(int[] word, int left, int right)
    {
        for (int i = 0; i + 1 < word.Length; i++)
        {
            if (word[i] == left && word[i + 1] == right) return true;
        }
        return false;
    }

    /// <summary>Replaces each non-overlapping (left, right), scanning left to right, with <paramref name="merged"/>.</summary>
    private static int[] Merge(int[] word, int left, int right, int merged)
    {
        var result = new List<int>(word.Length);
        for (int i = 0; i < word.Length; i++)
        {
            if (i + 1 < word.Length && word[i] == left && word[i + 1] == right)
            {
                result.Add(merged);
                i++;
            }
            else result.Add(word[i]);
        }
        return result.ToArray();
    }
}
