using System.Text.Json.Nodes;

namespace Fairscope.Tests.Tokenizers;

/// <summary>Missing, malformed or unsupported tokenizer files: one <see cref="FairscopeException"/> naming the file and
/// the problem.</summary>
public sealed class BadTokenizerFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private int _directories;

    private string NewDirectory(string prefix) => Directory.CreateDirectory(_folder.Sub($"{prefix}-{++_directories}")).FullName;

    private static readonly BpeVocabulary Tiny = BpeTrainer.Train(["aaab aab ab"], new BpeTrainerOptions { VocabularySize = 300 });

    /// <summary>A directory holding Tiny's vocab.json and merges.txt, the latter replaced when given.</summary>
    private string Pair(string? merges = null, string? vocab = null)
    {
        var directory = NewDirectory("pair");
        Tiny.Save(directory);
        if (merges is not null) File.WriteAllText(Path.Combine(directory, "merges.txt"), merges);
        if (vocab is not null) File.WriteAllText(Path.Combine(directory, "vocab.json"), vocab);
        return directory;
    }

    private static FairscopeException LoadFails(string directory, params string[] expected)
    {
        var e = Assert.Throws<FairscopeException>(() => TextTokenizer.Load(directory));
        foreach (var part in expected) Assert.Contains(part, e.Message);
        return e;
    }

    private string TokenizerJsonDirectory(Action<JsonObject> edit)
    {
        var vocab = new JsonObject();
        foreach (var (token, id) in Tiny.Tokens.OrderBy(t => t.Value)) vocab[token] = id;
        var model = new JsonObject { ["type"] = "BPE", ["vocab"] = vocab, ["merges"] = new JsonArray("a a", "a b") };
        var root = new JsonObject { ["model"] = model };
        edit(root);
        var directory = NewDirectory("hf");
        File.WriteAllText(Path.Combine(directory, "tokenizer.json"), root.ToJsonString());
        return directory;
    }

    [Fact]
    public void The_unedited_files_load() => Assert.Equal(259, TextTokenizer.Load(Pair()).VocabularySize);

    [Fact]
    public void Missing_merges_file()
    {
        var directory = Pair();
        File.Delete(Path.Combine(directory, "merges.txt"));
        LoadFails(directory, Path.Combine(directory, "merges.txt"), "not found");
    }

    [Fact]
    public void Missing_vocab_file_given_by_name()
    {
        var e = Assert.Throws<FairscopeException>(() => TextTokenizer.FromFiles(_folder.Sub("nope.json"), _folder.Sub("merges.txt")));
        Assert.Contains("nope.json", e.Message);
    }

    [Fact]
    public void Missing_directory_or_empty_directory()
    {
        Assert.Contains("not found", Assert.Throws<FairscopeException>(() => TextTokenizer.Load(_folder.Sub("absent"))).Message);
        LoadFails(NewDirectory("empty"), "unknown tokenizer format");
    }

    [Theory]
    [InlineData("{\"a\": 1,", "not valid JSON")]
    [InlineData("[\"a\", \"b\"]", "JSON object")]
    [InlineData("{\"a\": \"one\"}", "'a'")]
    [InlineData("{\"a\": 1.5}", "'a'")]
    [InlineData("{\"a\": -1}", "non-negative")]
    [InlineData("{\"a\": 1, \"b\": 1}", "share id 1")]
    [InlineData("{\"a\": 1, \"a\": 2}", "appears twice")]
    [InlineData("{\"a\": 64, \"b\": 65}", "byte token")]
    public void Malformed_vocab_json(string vocab, string problem) => LoadFails(Pair(vocab: vocab), "vocab.json", problem);

    [Theory]
    [InlineData("#version: 0.2\na a\nab\n", "line 3")]
    [InlineData("#version: 0.2\na a b\n", "line 2")]
    [InlineData("#version: 0.2\na  a\n", "line 2")]
    [InlineData("a a\nb c\n", "line 2")] // "bc" is not a token
    [InlineData("#version: 0.2\na ab\n", "'aab'")]
    public void Malformed_merges(string merges, string problem) => LoadFails(Pair(merges: merges), "merges.txt", problem);

    [Fact]
    public void Tokenizer_json_of_another_model_type()
    {
        var directory = TokenizerJsonDirectory(root => root["model"]!["type"] = "WordPiece");
        LoadFails(directory, "tokenizer.json", "unknown tokenizer format", "WordPiece");
    }

    [Fact]
    public void Tokenizer_json_without_a_model_or_not_json()
    {
        LoadFails(TokenizerJsonDirectory(root => root.Remove("model")), "tokenizer.json", "unknown tokenizer format");
        var directory = NewDirectory("bad");
        File.WriteAllText(Path.Combine(directory, "tokenizer.json"), "{ model: BPE");
        LoadFails(directory, "tokenizer.json", "not valid JSON");
    }

    [Fact]
    public void Tokenizer_json_with_unsupported_or_malformed_bpe_parts()
    {
        LoadFails(TokenizerJsonDirectory(root => root["model"]!["continuing_subword_prefix"] = "##"), "tokenizer.json", "continuing_subword_prefix");
        LoadFails(TokenizerJsonDirectory(root => root["model"]!["merges"] = new JsonArray("a a", "a b c")), "tokenizer.json", "model.merges[1]");
        LoadFails(TokenizerJsonDirectory(root => root["model"]!["merges"] = new JsonArray("x y")), "tokenizer.json", "'xy'");
        LoadFails(TokenizerJsonDirectory(root => root["model"]!.AsObject().Remove("vocab")), "tokenizer.json", "vocab");
        LoadFails(TokenizerJsonDirectory(root => root["added_tokens"] = new JsonArray(new JsonObject { ["id"] = 5, ["content"] = "<s>" })),
            "tokenizer.json", "'<s>' has id 5");
    }
}
