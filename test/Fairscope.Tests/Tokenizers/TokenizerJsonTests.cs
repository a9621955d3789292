using System.Text.Json.Nodes;

namespace Fairscope.Tests.Tokenizers;

/// <summary>Hugging Face tokenizer.json files (model type BPE, GPT-2 style) load into the same tokenizer as the
/// equivalent vocab.json + merges.txt.</summary>
public sealed class TokenizerJsonTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly BpeVocabulary Small =
        BpeTrainer.Train(TokenizerTestData.Corpus(300, seed: 21), new BpeTrainerOptions { VocabularySize = 320, SpecialTokens = ["<|marker|>"] });

    /// <summary>A tokenizer.json as the Hugging Face library writes one for GPT-2: special tokens only in added_tokens,
    /// merges as "left right" strings or, in newer files, as [left, right] arrays.</summary>
    private static string TokenizerJson(BpeVocabulary vocabulary, bool mergesAsArrays)
    {
        var vocab = new JsonObject();
        foreach (var (token, id) in vocabulary.Tokens.Where(t => !vocabulary.SpecialTokens.ContainsKey(t.Key)).OrderBy(t => t.Value)) vocab[token] = id;
        var merges = new JsonArray(vocabulary.Merges
            .Select(m => mergesAsArrays ? (JsonNode)new JsonArray(m.Left, m.Right) : JsonValue.Create($"{m.Left} {m.Right}"))
            .ToArray());
        var added = new JsonArray(vocabulary.SpecialTokens
            .Select(s => (JsonNode)new JsonObject { ["id"] = s.Value, ["content"] = s.Key, ["single_word"] = false, ["special"] = true })
            .ToArray());
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = "", ["end_of_word_suffix"] = "",
                ["fuse_unk"] = false, ["vocab"] = vocab, ["merges"] = merges,
            },
        };
        return root.ToJsonString();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Loads_and_encodes_as_the_vocab_and_merges_pair(bool mergesAsArrays)
    {
        var pairDirectory = _folder.Sub("pair");
        Small.Save(pairDirectory);
        var fromPair = TextTokenizer.Load(pairDirectory);
        var fromJson = TextTokenizer.FromTokenizerJson(_folder.File("tokenizer.json", TokenizerJson(Small, mergesAsArrays)));

        Assert.Equal(fromPair.VocabularySize, fromJson.VocabularySize);
        Assert.Equal(fromPair.SpecialTokens, fromJson.SpecialTokens);
        Assert.Equal(fromPair.Vocabulary.Merges, fromJson.Vocabulary.Merges);
        foreach (var text in TokenizerTestData.Corpus(100, seed: 8).Append("<|marker|>café 😀<|endoftext|>"))
        {
            var ids = fromJson.Encode(text);
            Assert.Equal(fromPair.Encode(text), ids);
            Assert.Equal(text, fromJson.Decode(ids));
        }
    }

    [Fact]
    public void A_directory_with_a_tokenizer_json_loads_it()
    {
        var directory = _folder.Sub("hf");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "tokenizer.json"), TokenizerJson(Small, mergesAsArrays: false));
        var tokenizer = TextTokenizer.Load(directory);
        Assert.Equal(Small.Size, tokenizer.VocabularySize);
        Assert.Equal(Small.SpecialTokens[BpeVocabulary.EndOfText], tokenizer.EndOfTextId);
    }
}
