using System.Diagnostics;
using System.Text;

namespace Fairscope.Tests.Tokenizers;

/// <summary><see cref="BpeTrainer"/>: determinism, a worked example, id layout, special tokens, file format and speed.</summary>
public sealed class BpeTrainerTests
{
    private static (byte[] Vocab, byte[] Merges) Files(BpeVocabulary vocabulary)
    {
        using var vocab = new MemoryStream();
        using var merges = new MemoryStream();
        vocabulary.WriteVocabJson(vocab);
        vocabulary.WriteMerges(merges);
        return (vocab.ToArray(), merges.ToArray());
    }

    private static int Id(string symbols) => TokenizerTestData.Trained.Tokens[symbols];

    [Fact]
    public void Same_corpus_gives_byte_identical_files()
    {
        var options = new BpeTrainerOptions { VocabularySize = 500, SpecialTokens = ["<|a|>"] };
        var first = Files(BpeTrainer.Train(TokenizerTestData.Corpus(500), options));
        var second = Files(BpeTrainer.Train(TokenizerTestData.Corpus(500), options));
        Assert.Equal(first.Vocab, second.Vocab);
        Assert.Equal(first.Merges, second.Merges);
    }

    [Fact]
    public void Worked_example_merges_the_most_frequent_pair_first()
    {
        // Pieces: "aaab", " aab", " ab" (space is Ġ). Pair counts: (a,a) 3, (a,b) 3, (Ġ,a) 2. The tie between (a,a) and
        // (a,b) goes to (a,a), which sorts first. After it: (a,b) 2 (in "aaab" → aa a b and " ab"), everything else 1,
        // so (a,b) comes next; then no pair occurs twice and training stops.
        var vocabulary = BpeTrainer.Train(["aaab aab ab"], new BpeTrainerOptions { VocabularySize = 300 });

        Assert.Equal([("a", "a"), ("a", "b")], vocabulary.Merges);
        Assert.Equal(256, vocabulary.Tokens["aa"]);
        Assert.Equal(257, vocabulary.Tokens["ab"]);
        Assert.Equal(258, vocabulary.Tokens["<|endoftext|>"]);
        Assert.Equal(259, vocabulary.Size);
        // GPT-2's byte ids: '!' is 0, so 'a' (0x61) is 64 and 'b' 65; space is Ġ, 220.
        Assert.Equal(64, vocabulary.Tokens["a"]);
        Assert.Equal(220, vocabulary.Tokens["Ġ"]);
        Assert.Equal([256, 257, 220, 256, 65, 220, 257, 258], vocabulary.Encode("aaab aab ab<|endoftext|>"));
    }

    [Fact]
    public void With_min_frequency_one_ties_keep_going_in_sorted_order()
    {
        // After (a,a) and (a,b) every remaining pair occurs once: (aa,ab) < (aa,b) < (Ġ,aa) < (Ġ,ab) ordinally.
        var vocabulary = BpeTrainer.Train(["aaab aab ab"], new BpeTrainerOptions { VocabularySize = 260, MinFrequency = 1 });
        Assert.Equal([("a", "a"), ("a", "b"), ("aa", "ab")], vocabulary.Merges);
        Assert.Equal(259, vocabulary.SpecialTokens["<|endoftext|>"]);
    }

    [Fact]
    public void Ids_are_bytes_then_merges_then_special_tokens()
    {
        var vocabulary = TokenizerTestData.Trained;
        Assert.Equal(600, vocabulary.Size);
        Assert.Equal(600, vocabulary.Tokens.Count);
        Assert.Equal(600 - 2 - 256, vocabulary.Merges.Count);
        for (int i = 0; i < 256; i++) Assert.Equal(i, vocabulary.Tokens[Gpt2ByteAlphabet.Symbols[i].ToString()]);
        for (int i = 0; i < vocabulary.Merges.Count; i++)
        {
            var (left, right) = vocabulary.Merges[i];
            Assert.Equal(256 + i, vocabulary.Tokens[left + right]);
        }
        Assert.Equal(new Dictionary<string, int> { ["<|endoftext|>"] = 598, [TokenizerTestData.ProvenanceMarker] = 599 }, vocabulary.SpecialTokens);
    }

    [Fact]
    public void Learns_frequent_words_with_their_leading_space()
    {
        Assert.True(Id("Ġthe") >= 256);
        Assert.True(Id("Ġnurse") >= 256);
    }

    [Fact]
    public void Special_tokens_in_the_corpus_are_cut_out_not_learned_from()
    {
        var corpus = Enumerable.Repeat("<|endoftext|><|endoftext|> ok<|m|>", 50).ToList();
        var vocabulary = BpeTrainer.Train(corpus, new BpeTrainerOptions { VocabularySize = 300, SpecialTokens = ["<|m|>"] });
        // Only " ok" is left to learn from. (Ġ,o) and (o,k) tie at 50; "o" sorts before "Ġ" (U+0120), so ok comes first.
        Assert.Equal([("o", "k"), ("Ġ", "ok")], vocabulary.Merges);
        Assert.Equal([vocabulary.Tokens["<|endoftext|>"], vocabulary.Tokens["Ġok"], vocabulary.Tokens["<|m|>"]], vocabulary.Encode("<|endoftext|> ok<|m|>"));
    }

    [Fact]
    public void Merges_file_has_the_gpt2_header_and_one_merge_per_line()
    {
        var (vocab, merges) = Files(BpeTrainer.Train(["aaab aab ab"], new BpeTrainerOptions { VocabularySize = 300 }));
        Assert.Equal("#version: 0.2\na a\na b\n", Encoding.UTF8.GetString(merges));
        var json = Encoding.UTF8.GetString(vocab);
        Assert.StartsWith("{\n  \"!\": 0,\n  \"\\\"\": 1,", json.ReplaceLineEndings("\n"));
        Assert.Contains("\"Ġ\": 220", json);
        Assert.Contains("\"<|endoftext|>\": 258", json);
    }

    [Fact]
    public void Duplicate_special_tokens_are_kept_once_and_bad_ones_rejected()
    {
        var vocabulary = BpeTrainer.Train(["x"], new BpeTrainerOptions { VocabularySize = 300, SpecialTokens = ["<|endoftext|>", "<|p|>", "<|p|>"] });
        Assert.Equal(["<|endoftext|>", "<|p|>"], vocabulary.SpecialTokens.Keys);
        Assert.Throws<ArgumentException>(() => BpeTrainer.Train(["x"], new BpeTrainerOptions { SpecialTokens = [""] }));
        Assert.Throws<ArgumentException>(() => BpeTrainer.Train(["x"], new BpeTrainerOptions { SpecialTokens = ["a"] }));
        Assert.Throws<ArgumentException>(() => BpeTrainer.Train(["x"], new BpeTrainerOptions { VocabularySize = 256 }));
    }

    [Fact]
    public void Trains_2000_tokens_on_a_megabyte_within_seconds()
    {
        var corpus = TokenizerTestData.PseudoWordCorpus(1_000_000);
        Assert.True(corpus.Sum(d => d.Length) > 1_000_000);
        var watch = Stopwatch.StartNew();
        var vocabulary = BpeTrainer.Train(corpus, new BpeTrainerOptions { VocabularySize = 2000 });
        watch.Stop();
        Assert.True(vocabulary.Size > 1000, $"only {vocabulary.Size} tokens");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }
}
