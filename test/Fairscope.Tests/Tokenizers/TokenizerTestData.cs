using System.Text;

namespace Fairscope.Tests.Tokenizers;

/// <summary>A deterministic synthetic corpus (words with accents, digits, punctuation, emoji, newlines and whitespace
/// runs) and a vocabulary trained on it once for the tokenizer tests.</summary>
internal static class TokenizerTestData
{
    private static readonly string[] Words =
    [
        "the", "a", "nurse", "engineer", "said", "she", "he", "they", "doctor", "was", "is", "not", "and", "of", "to",
        "café", "naïve", "résumé", "Zoë", "straße", "mañana", "Ελλάδα", "Москва", "東京", "😀", "👩‍🔬", "don't", "it's",
        "we'll", "I'm", "2024", "3.14", "42", "—", "\"quoted\"", "(parens)", "e-mail", "C#", "x<y", "provenance",
    ];

    /// <summary>Documents of 5–40 words from a skewed distribution, with occasional newlines, tabs and runs of spaces.</summary>
    public static List<string> Corpus(int documents, int seed = 7)
    {
        var random = new Random(seed);
        var docs = new List<string>(documents);
        for (int d = 0; d < documents; d++)
        {
            var sb = new StringBuilder();
            int n = random.Next(5, 40);
            for (int i = 0; i < n; i++)
            {
                sb.Append(Words[(int)Math.Min(Words.Length - 1, -Math.Log(1 - random.NextDouble()) * 8)]);
                sb.Append(random.Next(20) switch { 0 => ".\n", 1 => "\n\n", 2 => "  ", 3 => "\t", 4 => ", ", _ => " " });
            }
            docs.Add(sb.ToString());
        }
        return docs;
    }

    /// <summary>About <paramref name="characters"/> characters of text over ~5,000 pseudo-words (Zipf-like).</summary>
    public static List<string> PseudoWordCorpus(int characters, int seed = 3)
    {
        string[] syllables = ["ka", "ro", "mi", "te", "su", "lan", "bor", "é", "qu", "ix", "ent", "ha", "do", "pri", "ng", "z"];
        var random = new Random(seed);
        var words = Enumerable.Range(0, 5000)
            .Select(_ => string.Concat(Enumerable.Range(0, random.Next(1, 5)).Select(_ => syllables[random.Next(syllables.Length)])))
            .ToArray();
        var docs = new List<string>();
        int total = 0;
        while (total < characters)
        {
            var sb = new StringBuilder();
            for (int i = random.Next(10, 60); i > 0; i--)
            {
                sb.Append(words[(int)Math.Min(words.Length - 1, -Math.Log(1 - random.NextDouble()) * 400)]);
                sb.Append(random.Next(12) == 0 ? ". " : " ");
            }
            docs.Add(sb.ToString());
            total += sb.Length;
        }
        return docs;
    }

    /// <summary>A 600-token vocabulary trained on 1,000 documents of <see cref="Corpus"/> and 100 kB of pseudo-words
    /// (the word list alone runs out of pairs before 600), with one extra special token.</summary>
    public static BpeVocabulary Trained => LazyTrained.Value;

    public const string ProvenanceMarker = "<|synthetic|>";

    private static readonly Lazy<BpeVocabulary> LazyTrained = new(() =>
        BpeTrainer.Train(Corpus(1000).Concat(PseudoWordCorpus(100_000)), new BpeTrainerOptions { VocabularySize = 600, SpecialTokens = [ProvenanceMarker] }));
}
