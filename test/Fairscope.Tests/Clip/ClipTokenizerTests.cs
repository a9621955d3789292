namespace Fairscope.Tests;

/// <summary><see cref="ClipTokenizer"/> over a tiny hand-written CLIP vocabulary, checked by hand, and
/// <see cref="ClipVocabulary.Build"/>'s output read back through it.</summary>
public sealed class ClipTokenizerTests : IDisposable
{
    // Word-internal symbols, their word-final twins, three merges' products, "!", then the specials, as CLIP lays them out.
    private const string Vocab = """
        {"a": 0, "c": 1, "t": 2, "!": 3, "a</w>": 4, "c</w>": 5, "t</w>": 6, "!</w>": 7,
         "ca": 8, "cat</w>": 9, "at</w>": 10, "<|startoftext|>": 11, "<|endoftext|>": 12}
        """;
    private const string Merges = "#version: 0.2\nc a\nca t</w>\na t</w>\n";
    private const int Bos = 11, Eos = 12, Cat = 9, A = 4, At = 10;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Write(string name, string? vocab = Vocab, string? merges = Merges, params (string File, string Json)[] extra)
    {
        string directory = _folder.Sub(name);
        Directory.CreateDirectory(directory);
        if (vocab is not null) File.WriteAllText(Path.Combine(directory, "vocab.json"), vocab);
        if (merges is not null) File.WriteAllText(Path.Combine(directory, "merges.txt"), merges);
        foreach (var (file, json) in extra) File.WriteAllText(Path.Combine(directory, file), json);
        return directory;
    }

    [Fact]
    public void Text_is_cleaned_lowercased_and_merged_with_end_of_word_suffixes()
    {
        var tokenizer = ClipTokenizer.Load(Write("tiny"));

        Assert.Equal((Bos, Eos, Eos, 77, 13), (tokenizer.StartOfTextId, tokenizer.EndOfTextId, tokenizer.PadId, tokenizer.MaxLength, tokenizer.VocabularySize));
        Assert.Equal([Bos, Cat, A, Eos], tokenizer.Encode("  CAT\n\t a  "));
        Assert.Equal([Bos, At, Eos], tokenizer.Encode("At"));
        // Inside a word "a" and "c" are the bare symbols; only the word's last symbol carries </w>.
        Assert.Equal([Bos, 2, 0, 5, Eos], tokenizer.Encode("tac"));
        // Punctuation is its own piece; the special token written in text is its id.
        Assert.Equal([Bos, Cat, 7, Eos, Eos], tokenizer.Encode("cat! <|endoftext|>"));
        Assert.Equal([Bos, Eos], tokenizer.Encode(""));
        // A symbol outside the vocabulary is end-of-text, transformers' unknown token for CLIP.
        Assert.Equal([Bos, Cat, Eos, Eos], tokenizer.Encode("cat x"));
    }

    [Fact]
    public void Long_text_is_cut_keeping_end_of_text_last_and_short_text_is_padded_with_end_of_text()
    {
        var tokenizer = ClipTokenizer.Load(Write("tiny"), maxLength: 5);

        Assert.Equal([Bos, Cat, A, At, Eos], tokenizer.Encode("cat a at cat cat"));
        var (ids, endOfText) = tokenizer.EncodePadded("cat");
        Assert.Equal([Bos, Cat, Eos, Eos, Eos], ids);
        Assert.Equal(2, endOfText);
        Assert.Equal(4, tokenizer.EncodePadded("cat a at cat").EndOfText);
    }

    [Fact]
    public void Pad_token_is_read_from_special_tokens_map_or_tokenizer_config_in_a_tokenizer_subdirectory()
    {
        Write(Path.Combine("sd2", "tokenizer"), extra: ("special_tokens_map.json", """{"pad_token": "!", "eos_token": "<|endoftext|>"}"""));
        Write(Path.Combine("config", "tokenizer"), extra: ("tokenizer_config.json", """{"pad_token": {"content": "!</w>", "lstrip": false}}"""));

        var sd2 = ClipTokenizer.Load(_folder.Sub("sd2"), maxLength: 5);
        var configured = ClipTokenizer.Load(_folder.Sub("config"), maxLength: 5);

        Assert.Equal([Bos, Cat, Eos, 3, 3], sd2.EncodePadded("cat").Ids);
        Assert.Equal([Bos, Cat, Eos, 7, 7], configured.EncodePadded("cat").Ids);
        Assert.Equal(2, sd2.EncodePadded("cat").EndOfText);
    }

    [Fact]
    public void Built_vocabulary_has_clips_layout_and_makes_every_word_one_token()
    {
        // Arrange: "ab" then "cab" and "abc" are orders in which merging each word plainly left to right would fail
        string[] words = ["A red-haired Woman", "ab", "cab", "abc", "bc", "woman", "3 cats"];
        ClipVocabulary.Build(words, _folder.Sub("built"));

        // Act
        var tokenizer = ClipTokenizer.Load(_folder.Sub("built"));

        // Assert: bytes, word-final bytes, merges, then the specials last; every piece of every word one token
        var vocab = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path.Combine(_folder.Sub("built"), "vocab.json")))!;
        Assert.Equal(0, vocab["!"]);
        Assert.Equal(256, vocab["!</w>"]);
        Assert.Equal(vocab.Count - 2, tokenizer.StartOfTextId);
        Assert.Equal(vocab.Count - 1, tokenizer.EndOfTextId);
        Assert.StartsWith("#version", File.ReadLines(Path.Combine(_folder.Sub("built"), "merges.txt")).First());
        foreach (var piece in new[] { "a", "red", "-", "haired", "woman", "ab", "cab", "abc", "bc", "3", "cats" })
        {
            var ids = tokenizer.Encode(piece);
            Assert.True(ids.Length == 3 && ids[1] == vocab[piece + "</w>"], $"'{piece}' → [{string.Join(", ", ids)}]");
        }
    }

    [Fact]
    public void Only_clips_first_48894_merges_are_read()
    {
        // Arrange: CLIP's 49,408 ids: 512 byte symbols, 48,894 merges of a symbol with a word-final one, the specials;
        // then a merge line whose right token is in no vocabulary
        var symbols = Gpt2ByteAlphabet.Symbols.Select(c => c.ToString()).ToList();
        var final = symbols.Select(s => s + "</w>").ToList();
        var pairs = symbols.SelectMany(left => final.Select(right => (left, right))).Take(ClipTokenizer.MergeCount).ToList();
        var tokens = symbols.Concat(final).Concat(pairs.Select(p => p.left + p.right)).Append("<|startoftext|>").Append("<|endoftext|>");
        string vocab = System.Text.Json.JsonSerializer.Serialize(tokens.Select((token, id) => (token, id)).ToDictionary(t => t.token, t => t.id));
        string merges = string.Join("\n", pairs.Select(p => $"{p.left} {p.right}").Prepend("#version: 0.2").Append("a zz</w>"));

        // Act
        var tokenizer = ClipTokenizer.Load(Write("full", vocab, merges));

        // Assert: loads (the last line is never read), and "!!" is the first merge's "!!</w>"
        Assert.Equal(49408, tokenizer.VocabularySize);
        Assert.Equal((49406, 49407), (tokenizer.StartOfTextId, tokenizer.EndOfTextId));
        Assert.Equal([49406, 512, 49407], tokenizer.Encode("!!"));
    }

    [Fact]
    public void Missing_merges_file_is_named()
    {
        string directory = Write("no-merges", merges: null);

        var e = Assert.Throws<FairscopeException>(() => ClipTokenizer.Load(directory));

        Assert.Contains(Path.Combine(directory, "merges.txt"), e.Message);
    }

    [Fact]
    public void Malformed_vocabulary_and_missing_special_tokens_name_the_vocabulary_file()
    {
        string malformed = Write("malformed", vocab: "[1, 2");
        string noStart = Write("no-start", vocab: Vocab.Replace("\"<|startoftext|>\": 11, ", ""));

        var e1 = Assert.Throws<FairscopeException>(() => ClipTokenizer.Load(malformed));
        var e2 = Assert.Throws<FairscopeException>(() => ClipTokenizer.Load(noStart));

        Assert.Contains(Path.Combine(malformed, "vocab.json"), e1.Message);
        Assert.Contains(Path.Combine(noStart, "vocab.json"), e2.Message);
        Assert.Contains("<|startoftext|>", e2.Message);
    }

    [Fact]
    public void Merge_of_tokens_outside_the_vocabulary_names_the_merges_file()
    {
        string directory = Write("bad-merge", merges: "#version: 0.2\nc a\nt a\n");

        var e = Assert.Throws<FairscopeException>(() => ClipTokenizer.Load(directory));

        Assert.Contains(Path.Combine(directory, "merges.txt"), e.Message);
    }
}
