using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Fairscope;

/// <summary>
/// Writes a small CLIP-format tokenizer (<c>vocab.json</c> + <c>merges.txt</c>) for a closed world of words, so that a
/// built-in model over a fixed set of captions tokenizes through the very same <see cref="ClipTokenizer"/> code path
/// as Stable Diffusion's CLIP.
/// </summary>
public static class ClipVocabulary
{
    /// <summary>
    /// Writes into <paramref name="directory"/> (created if needed) a vocabulary laid out as CLIP's: the 256 byte
    /// symbols, the same 256 with <c>&lt;/w&gt;</c>, one entry per merge, then <c>&lt;|startoftext|&gt;</c> and
    /// <c>&lt;|endoftext|&gt;</c> last. The merges make every piece of <paramref name="words"/> (each split and
    /// lowercased as the tokenizer splits text, so whole captions may be given) a single word-final token: each piece
    /// is first merged as far as the merges so far take it, then its remaining parts are joined left to right. The new
    /// merges rank after every earlier one, so they never break a piece built before.
    /// </summary>
    public static void Build(IEnumerable<string> words, string directory)
    {
        var bytes = Gpt2ByteAlphabet.Symbols.Select(c => c.ToString()).ToList(); // CLIP's bytes_to_unicode order
        var vocabulary = bytes.Concat(bytes.Select(b => b + ClipTokenizer.EndOfWord)).ToList();
        var ranks = new Dictionary<(string, string), int>();
        foreach (var piece in words.SelectMany(ClipTokenizer.Pieces).Distinct())
        {
            if (piece is ClipTokenizer.StartOfText or ClipTokenizer.EndOfText) continue;
            var symbols = Gpt2ByteAlphabet.Encode(piece).Select(c => c.ToString()).ToList();
            symbols[^1] += ClipTokenizer.EndOfWord;
            symbols = Merge(symbols, ranks);
            // A join may already be a merge, or its product a token, from an earlier piece's joins: each is kept once.
            for (string joined = symbols[0]; symbols.Count > 1; symbols.RemoveAt(1))
            {
                ranks.TryAdd((joined, symbols[1]), ranks.Count);
                joined += symbols[1];
                if (!vocabulary.Contains(joined)) vocabulary.Add(joined);
            }
        }
        vocabulary.Add(ClipTokenizer.StartOfText);
        vocabulary.Add(ClipTokenizer.EndOfText);

        Directory.CreateDirectory(directory);
        using (var stream = File.Create(Path.Combine(directory, BpeVocabulary.VocabFileName)))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            for (int id = 0; id < vocabulary.Count; id++) json.WriteNumber(vocabulary[id], id);
            json.WriteEndObject();
        }
        var merges = ranks.OrderBy(r => r.Value).Select(r => $"{r.Key.Item1} {r.Key.Item2}");
        File.WriteAllText(Path.Combine(directory, BpeVocabulary.MergesFileName),
            string.Join("\n", merges.Prepend(BpeVocabulary.MergesHeader)) + "\n", new UTF8Encoding(false));
    }

    // BPE as CLIP's bpe() does it: repeatedly merge every occurrence of the adjacent pair with the lowest rank.
    private static List<string> Merge(List<string> symbols, Dictionary<(string, string), int> ranks)
    {
        while (symbols.Count > 1)
        {
            var best = Enumerable.Range(0, symbols.Count - 1)
                .Select(i => (Pair: (symbols[i], symbols[i + 1]), Rank: ranks.GetValueOrDefault((symbols[i], symbols[i + 1]), int.MaxValue)))
                .MinBy(p => p.Rank);
            if (best.Rank == int.MaxValue) return symbols;
            var merged = new List<string>(symbols.Count);
            for (int i = 0; i < symbols.Count; i++)
            {
                bool match = i + 1 < symbols.Count && (symbols[i], symbols[i + 1]) == best.Pair;
                merged.Add(match ? symbols[i] + symbols[++i] : symbols[i]);
            }
            symbols = merged;
        }
        return symbols;
    }
}
