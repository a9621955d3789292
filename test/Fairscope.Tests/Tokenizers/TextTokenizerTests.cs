using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Fairscope.Tests.Tokenizers;

/// <summary><see cref="TextTokenizer"/>: round trips, agreement with the trainer's own merge application, special
/// tokens, and saving and loading.</summary>
public sealed class TextTokenizerTests : IDisposable
{
    private static readonly TextTokenizer Tokenizer = new(TokenizerTestData.Trained);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("")]
    [InlineData("The nurse said she was tired.")]
    [InlineData("café naïve résumé Zoë straße Ελλάδα Москва 東京")]
    [InlineData("emoji 😀 👩‍🔬 👋🏽 🇫🇷 and a never-seen one 🦩")]
    [InlineData("line one\nline two\r\n\n\nindented\n\t\ttabs")]
    [InlineData("   leading, trailing and   inner runs of spaces   ")]
    [InlineData(" \u00A0\u2003\u3000 other whitespace, \0 NUL and \u007F DEL \u200B zero-width")]
    [InlineData("don't it's we'll I'M 'quoted' 3.14159 1,000,000 x<y && a|b")]
    public void Decode_of_encode_is_the_text(string text)
    {
        var ids = Tokenizer.Encode(text);
        Assert.All(ids, id => Assert.InRange(id, 0, Tokenizer.VocabularySize - 1));
        Assert.Equal(text, Tokenizer.Decode(ids));
    }

    [Property(MaxTest = 500, Replay = "(24680,13579)")]
    public void Decode_of_encode_is_any_string_as_utf8_sees_it(NonNull<string> text)
    {
        // Lone surrogates have no UTF-8 form and come back as U+FFFD, as a UTF-8 round trip gives.
        var expected = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text.Get));
        Assert.Equal(expected, Tokenizer.Decode(Tokenizer.Encode(text.Get)));
    }

    /// <summary>Strings of code points from every UTF-8 length, whitespace and the special tokens' text.</summary>
    public static class UnicodeText
    {
        private static readonly Gen<string> Piece = Gen.OneOf(
            Gen.Choose(0x20, 0x7E).Select(c => ((char)c).ToString()),
            Gen.Elements(" ", "  ", "\n", "\r\n", "\t", "'s", "'ll", "<|endoftext|>", TokenizerTestData.ProvenanceMarker, "<|"),
            Gen.Choose(0x80, 0x7FF).Select(c => ((char)c).ToString()),
            Gen.Choose(0x800, 0xD7FF).Select(c => ((char)c).ToString()),
            Gen.Choose(0x10000, 0x10FFFF).Select(char.ConvertFromUtf32));

        public static Arbitrary<string> Text() => Arb.From(Gen.ListOf(Piece).Select(string.Concat));
    }

    [Property(Arbitrary = new[] { typeof(UnicodeText) }, MaxTest = 500, Replay = "(97531,86421)")]
    public void Decode_of_encode_is_any_well_formed_text(string text)
    {
        var ids = Tokenizer.Encode(text);
        Assert.Equal(text, Tokenizer.Decode(ids));
        Assert.Equal(TokenizerTestData.Trained.Encode(text), ids);
    }

    [Fact]
    public void Encodes_held_out_text_exactly_as_the_merges_applied_directly()
    {
        var heldOut = TokenizerTestData.Corpus(300, seed: 99).Append("Unseen words: quixotic, Zürich, ½ ✓ 🦩 Ω≈ç√ ∫˜µ≤≥÷ and 12345678").ToList();
        int tokens = 0, characters = 0;
        foreach (var text in heldOut)
        {
            var ids = Tokenizer.Encode(text);
            Assert.Equal(TokenizerTestData.Trained.Encode(text), ids);
            tokens += ids.Length;
            characters += text.Length;
        }
        Assert.True(tokens < characters / 2, $"{tokens} tokens for {characters} characters: merges barely applied");
    }

    [Fact]
    public void Special_tokens_in_text_encode_to_their_ids_and_can_be_skipped_when_decoding()
    {
        int eot = Assert.NotNull(Tokenizer.EndOfTextId);
        int marker = Tokenizer.SpecialTokens[TokenizerTestData.ProvenanceMarker];
        var ids = Tokenizer.Encode($"{TokenizerTestData.ProvenanceMarker}the nurse<|endoftext|>");
        Assert.Equal(marker, ids[0]);
        Assert.Equal(eot, ids[^1]);
        Assert.Equal("the nurse", Tokenizer.Decode(ids, skipSpecialTokens: true));
        Assert.Equal($"{TokenizerTestData.ProvenanceMarker}the nurse<|endoftext|>", Tokenizer.Decode(ids));
    }

    [Fact]
    public void Offsets_of_ascii_text_tile_it_token_by_token()
    {
        const string text = "The nurse said that she would";
        var (ids, offsets) = Tokenizer.EncodeWithOffsets(text);

        AssertOffsetsTileTheText(text, ids, offsets);
        // One byte per character: no two tokens share a character, so each span is exactly its token's text.
        var pieces = offsets.Select(o => text.Substring(o.Start, o.Length)).ToArray();
        Assert.Equal(ids.Select(id => Tokenizer.Decode([id])), pieces);
        Assert.Equal(text, string.Concat(pieces));
        Assert.Contains((text.IndexOf(" she", StringComparison.Ordinal), 4), offsets);
    }

    [Fact]
    public void A_character_split_over_byte_tokens_lies_in_each_of_their_spans()
    {
        // 🦩 (a surrogate pair, F0 9F A6 A9 in UTF-8) is not in the vocabulary: its bytes become several tokens,
        // each spanning both of its UTF-16 characters. A lone surrogate is one character, read as U+FFFD.
        const string text = "x🦩y a\uD800b";
        var (ids, offsets) = Tokenizer.EncodeWithOffsets(text);

        AssertOffsetsTileTheText(text, ids, offsets);
        var flamingo = offsets.Where(o => o.Start == 1).ToArray();
        Assert.True(flamingo.Length >= 2, $"🦩 is {flamingo.Length} token(s)");
        Assert.All(flamingo, o => Assert.Equal((1, 2), o));
        Assert.Equal((0, 1), offsets[0]);
        Assert.Equal((3, 1), offsets[flamingo.Length + 1]);
        Assert.Equal((text.Length - 1, 1), offsets[^1]);
        Assert.Contains(offsets, o => o == (text.IndexOf('\uD800'), 1));
    }

    [Property(Arbitrary = new[] { typeof(UnicodeText) }, MaxTest = 200, Replay = "(13579,24681)")]
    public void Offsets_tile_any_well_formed_text(string text)
    {
        var (ids, offsets) = Tokenizer.EncodeWithOffsets(text);
        AssertOffsetsTileTheText(text, ids, offsets);
    }

    // Ids are Encode's; spans are non-empty, in order, leave no gap, cover the text, and overlap a neighbour only by
    // one character (a surrogate pair at most: 2); a span overlapping no neighbour is exactly its token's text.
    private static void AssertOffsetsTileTheText(string text, int[] ids, (int Start, int Length)[] offsets)
    {
        Assert.Equal(Tokenizer.Encode(text), ids);
        Assert.Equal(ids.Length, offsets.Length);
        if (ids.Length == 0) return;
        Assert.Equal(0, offsets[0].Start);
        Assert.Equal(text.Length, offsets[^1].Start + offsets[^1].Length);
        for (int i = 0; i < offsets.Length; i++)
        {
            var (start, length) = offsets[i];
            Assert.True(length >= 1, $"token {i} has an empty span");
            if (i > 0)
            {
                int previousEnd = offsets[i - 1].Start + offsets[i - 1].Length;
                Assert.InRange(start, Math.Max(offsets[i - 1].Start, previousEnd - 2), previousEnd);
            }
            bool sharesWithPrevious = i > 0 && start < offsets[i - 1].Start + offsets[i - 1].Length;
            bool sharesWithNext = i + 1 < offsets.Length && offsets[i + 1].Start < start + length;
            if (!sharesWithPrevious && !sharesWithNext)
                Assert.Equal(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text.Substring(start, length))), Tokenizer.Decode([ids[i]]));
        }
    }

    [Fact]
    public void Decoding_an_unknown_id_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Decode([1, Tokenizer.VocabularySize]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Decode([-1]));
    }

    [Fact]
    public void A_character_cut_mid_sequence_decodes_to_the_replacement_character()
    {
        // 🦩 is F0 9F A6 A9 in UTF-8: decode its first two bytes, then all four, as byte tokens.
        var ids = Encoding.UTF8.GetBytes("🦩").Select(b => Tokenizer.Vocabulary.Tokens[Gpt2ByteAlphabet.ToChar(b).ToString()]).ToArray();
        Assert.Equal("🦩", Tokenizer.Decode(ids));
        Assert.Equal("\uFFFD", Tokenizer.Decode(ids[..2]));
    }

    [Fact]
    public void Saves_and_loads_back_the_same_tokenizer()
    {
        var directory = _folder.Sub("tok");
        Tokenizer.Save(directory);
        var loaded = TextTokenizer.Load(directory);
        Assert.Equal(Tokenizer.VocabularySize, loaded.VocabularySize);
        Assert.Equal(Tokenizer.SpecialTokens, loaded.SpecialTokens);
        Assert.Equal(Tokenizer.EndOfTextId, loaded.EndOfTextId);
        foreach (var text in TokenizerTestData.Corpus(50, seed: 5)) Assert.Equal(Tokenizer.Encode(text), loaded.Encode(text));

        // Saving what was loaded gives the same bytes.
        var again = _folder.Sub("again");
        loaded.Save(again);
        foreach (var name in new[] { BpeVocabulary.VocabFileName, BpeVocabulary.MergesFileName })
            Assert.Equal(File.ReadAllBytes(Path.Combine(directory, name)), File.ReadAllBytes(Path.Combine(again, name)));
    }

    [Fact]
    public void Loads_from_streams_and_from_named_files()
    {
        var directory = _folder.Sub("files");
        Tokenizer.Save(directory);
        var vocab = Path.Combine(directory, BpeVocabulary.VocabFileName);
        var merges = Path.Combine(directory, BpeVocabulary.MergesFileName);
        using var vocabStream = File.OpenRead(vocab);
        using var mergesStream = File.OpenRead(merges);
        var fromStreams = new TextTokenizer(BpeVocabularyReader.Read(vocabStream, mergesStream));
        var fromFiles = TextTokenizer.FromFiles(vocab, merges);
        const string text = "she said: café 😀\n";
        Assert.Equal(Tokenizer.Encode(text), fromStreams.Encode(text));
        Assert.Equal(Tokenizer.Encode(text), fromFiles.Encode(text));
    }
}
