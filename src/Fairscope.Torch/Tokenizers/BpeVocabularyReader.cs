using System.Text;
using System.Text.Json;

namespace Fairscope;

/// <summary>
/// Reads and checks byte-level BPE vocabularies: a GPT-2 pair of <c>vocab.json</c> + <c>merges.txt</c>, or a Hugging
/// Face <c>tokenizer.json</c> whose model is BPE. Every problem is one <see cref="FairscopeException"/> that names the
/// file and what is wrong with it.
/// </summary>
/// <remarks>
/// In a vocab.json, an entry that is neither one of the 256 byte symbols nor the result of a merge (GPT-2's
/// <c>&lt;|endoftext|&gt;</c>) is a special token. In a tokenizer.json, the <c>added_tokens</c> are too.
/// </remarks>
public static class BpeVocabularyReader
{
    /// <summary>The Hugging Face tokenizer file name.</summary>
    public const string TokenizerJsonFileName = "tokenizer.json";

    /// <summary>Reads <paramref name="vocabPath"/> (vocab.json) and <paramref name="mergesPath"/> (merges.txt).</summary>
    public static BpeVocabulary ReadFiles(string vocabPath, string mergesPath)
    {
        using var vocab = OpenFile(vocabPath, "vocabulary file");
        using var merges = OpenFile(mergesPath, "merges file");
        return Read(vocab, merges, vocabPath, mergesPath);
    }

    /// <summary>Reads a vocab.json and a merges.txt from streams; the names are used in error messages.</summary>
    public static BpeVocabulary Read(Stream vocab, Stream merges, string vocabName = BpeVocabulary.VocabFileName, string mergesName = BpeVocabulary.MergesFileName)
    {
        var tokens = ReadVocabObject(ParseJson(vocab, vocabName, "malformed vocabulary"), vocabName, "the file");
        var mergeList = ReadMergesText(merges, mergesName);
        return Build(tokens, mergeList, [], vocabName, mergesName);
    }

    private static JsonElement ParseJson(Stream stream, string name, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(stream);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new FairscopeException($"{name}: {what}: not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>Reads a Hugging Face tokenizer.json at <paramref name="path"/>.</summary>
    public static BpeVocabulary ReadTokenizerJson(string path)
    {
        using var stream = OpenFile(path, "tokenizer file");
        return ReadTokenizerJson(stream, path);
    }

    /// <summary>Reads a Hugging Face tokenizer.json from a stream; the name is used in error messages.</summary>
    public static BpeVocabulary ReadTokenizerJson(Stream stream, string name = TokenizerJsonFileName)
    {
        var root = ParseJson(stream, name, "malformed tokenizer.json");
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            throw new FairscopeException($"{name}: unknown tokenizer format: no \"model\" object");
        string? type = model.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type != "BPE")
            throw new FairscopeException($"{name}: unknown tokenizer format: model type {(type is null ? "missing" : $"'{type}'")}; only byte-level BPE (\"type\": \"BPE\") is supported");
        foreach (var unsupported in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
        {
            if (model.TryGetProperty(unsupported, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0)
                throw new FairscopeException($"{name}: unknown tokenizer format: BPE with a {unsupported} is not GPT-2 byte-level BPE");
        }
        if (!model.TryGetProperty("vocab", out var vocab))
            throw new FairscopeException($"{name}: malformed tokenizer.json: model has no \"vocab\"");
        var tokens = ReadVocabObject(vocab, name, "model.vocab");
        var merges = ReadMergesArray(model, name);
        var added = ReadAddedTokens(root, name);
        return Build(tokens, merges, added, name, name);
    }

    private static FileStream OpenFile(string path, string what)
    {
        if (!File.Exists(path)) throw new FairscopeException($"{path}: {what} not found");
        return File.OpenRead(path);
    }

    private static Dictionary<string, int> ReadVocabObject(JsonElement element, string name, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new FairscopeException($"{name}: malformed vocabulary: {where} must be a JSON object of token → id, found {element.ValueKind}");
        var tokens = new Dictionary<string, int>(StringComparer.Ordinal);
        var seenIds = new Dictionary<int, string>();
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out int id) || id < 0)
                throw new FairscopeException($"{name}: malformed vocabulary: the id of token '{entry.Name}' must be a non-negative integer, found {entry.Value.GetRawText()}");
            if (!tokens.TryAdd(entry.Name, id))
                throw new FairscopeException($"{name}: malformed vocabulary: token '{entry.Name}' appears twice");
            if (!seenIds.TryAdd(id, entry.Name))
                throw new FairscopeException($"{name}: malformed vocabulary: tokens '{seenIds[id]}' and '{entry.Name}' share id {id}");
        }
        return tokens;
    }

    private static List<(string Left, string Right, int Line)> ReadMergesText(Stream stream, string name)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var merges = new List<(string, string, int)>();
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal))) continue;
            var parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new FairscopeException($"{name}: line {lineNumber}: malformed merge '{line}': expected two tokens separated by one space");
            merges.Add((parts[0], parts[1], lineNumber));
        }
        return merges;
    }

    /// <summary>Merges in a tokenizer.json: "left right" strings (older files) or ["left", "right"] arrays (newer).</summary>
    private static List<(string Left, string Right, int Line)> ReadMergesArray(JsonElement model, string name)
    {
        var merges = new List<(string, string, int)>();
        if (!model.TryGetProperty("merges", out var array)) return merges;
        if (array.ValueKind != JsonValueKind.Array)
            throw new FairscopeException($"{name}: malformed tokenizer.json: model.merges must be an array");
        int index = 0;
        foreach (var item in array.EnumerateArray())
        {
            index++;
            string[]? parts = item.ValueKind switch
            {
                JsonValueKind.String => item.GetString()!.Split(' '),
                JsonValueKind.Array when item.EnumerateArray().All(p => p.ValueKind == JsonValueKind.String) =>
                    item.EnumerateArray().Select(p => p.GetString()!).ToArray(),
                _ => null,
            };
            if (parts is not { Length: 2 } || parts[0].Length == 0 || parts[1].Length == 0)
                throw new FairscopeException($"{name}: model.merges[{index - 1}]: malformed merge {item.GetRawText()}: expected \"left right\" or [\"left\", \"right\"]");
            merges.Add((parts[0], parts[1], index));
        }
        return merges;
    }

    private static Dictionary<string, int> ReadAddedTokens(JsonElement root, string name)
    {
        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!root.TryGetProperty("added_tokens", out var array) || array.ValueKind == JsonValueKind.Null) return added;
        if (array.ValueKind != JsonValueKind.Array)
            throw new FairscopeException($"{name}: malformed tokenizer.json: added_tokens must be an array");
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String || content.GetString()!.Length == 0
                || !item.TryGetProperty("id", out var id) || !id.TryGetInt32(out int value) || value < 0)
                throw new FairscopeException($"{name}: malformed tokenizer.json: added token {item.GetRawText()} needs a non-empty \"content\" and a non-negative integer \"id\"");
            if (!added.TryAdd(content.GetString()!, value))
                throw new FairscopeException($"{name}: malformed tokenizer.json: added token '{content.GetString()}' appears twice");
        }
        return added;
    }

    /// <summary>Checks that the parts make a byte-level BPE vocabulary and finds its special tokens.</summary>
    private static BpeVocabulary Build(
        Dictionary<string, int> tokens, List<(string Left, string Right, int Line)> merges, Dictionary<string, int> added, string vocabName, string mergesName)
    {
        var owners = tokens.ToDictionary(t => t.Value, t => t.Key);
        foreach (var (content, id) in added)
        {
            if (tokens.TryGetValue(content, out int existing) && existing != id)
                throw new FairscopeException($"{vocabName}: added token '{content}' has id {id} but the vocabulary gives it {existing}");
            if (owners.TryGetValue(id, out var owner) && owner != content)
                throw new FairscopeException($"{vocabName}: added token '{content}' has id {id}, which the vocabulary gives to '{owner}'");
            tokens[content] = id;
            owners[id] = content;
        }
        foreach (char symbol in Gpt2ByteAlphabet.Symbols)
        {
            if (!tokens.ContainsKey(symbol.ToString()))
                throw new FairscopeException($"{vocabName}: not a byte-level BPE vocabulary: byte token '{symbol}' (U+{(int)symbol:X4}) is missing");
        }

        var where = mergesName == vocabName ? "merge" : "line";
        var products = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<(string, string)>(merges.Count);
        foreach (var (left, right, line) in merges)
        {
            foreach (var part in new[] { left, right, left + right })
            {
                if (!tokens.ContainsKey(part))
                    throw new FairscopeException($"{mergesName}: {where} {line}: merge '{left} {right}' uses token '{part}', which is not in the vocabulary ({vocabName})");
            }
            products.Add(left + right);
            list.Add((left, right));
        }

        var specials = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (token, id) in tokens.OrderBy(t => t.Value))
        {
            bool isByte = token.Length == 1 && Gpt2ByteAlphabet.TryGetByte(token[0], out _);
            if (added.ContainsKey(token) || (!isByte && !products.Contains(token))) specials.Add(token, id);
        }
        return new BpeVocabulary(tokens, list, specials);
    }
}
