using System.Text.Json;
using System.Text.RegularExpressions;

namespace Fairscope;

/// <summary>
/// The one vocabulary of the built-in unified model: special markers, lower-case words, then one token per image code
/// (<c>&lt;i0&gt;</c> … <c>&lt;iK−1&gt;</c>), so image tokens are the contiguous id range
/// [<see cref="FirstImageToken"/>, <see cref="FirstImageToken"/> + <see cref="Codebook"/>). Text is split into words
/// (runs of letters and digits) and lower-cased, punctuation dropped; a word the vocabulary lacks is <c>&lt;unk&gt;</c>.
/// A word-level vocabulary suits a closed synthetic world, where every caption and question is built from a few dozen words.
/// </summary>
public sealed partial class MultimodalVocabulary
{
    /// <summary>Special tokens, at ids 0–5: padding, start of a sequence, unknown word, image start and end, end of an answer.
    /// The end marker comes last, next to the words, so that [end, first image token) is exactly what an answer may hold.</summary>
    public const string Pad = "<pad>", Begin = "<bos>", UnknownWord = "<unk>", ImageStart = "<img>", ImageEnd = "</img>", End = "<eos>";

    private static readonly string[] Specials = [Pad, Begin, UnknownWord, ImageStart, ImageEnd, End];
    private readonly Dictionary<string, int> _ids;
    private readonly string[] _words;

    private MultimodalVocabulary(IReadOnlyList<string> words, int codebook)
    {
        if (codebook < 1) throw new FairscopeException($"a multimodal vocabulary needs at least one image code, not {codebook}");
        _words = [.. Specials, .. words];
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _words.Length; i++)
            if (!_ids.TryAdd(_words[i], i)) throw new FairscopeException($"the multimodal vocabulary lists '{_words[i]}' twice");
        Codebook = codebook;
    }

    /// <summary>A vocabulary of every word in <paramref name="texts"/> (sorted, so equal texts give equal ids) and
    /// <paramref name="codebook"/> image codes.</summary>
    public static MultimodalVocabulary Build(IEnumerable<string> texts, int codebook) =>
        new([.. texts.SelectMany(Words).Distinct().Order(StringComparer.Ordinal)], codebook);

    /// <summary>Image codes: the image tokenizer's codebook size.</summary>
    public int Codebook { get; }

    /// <summary>The id of image code 0.</summary>
    public int FirstImageToken => _words.Length;

    /// <summary>Words, specials and image codes.</summary>
    public int Size => _words.Length + Codebook;

    /// <summary>The id of a special token or word.</summary>
    public int this[string token] => _ids.TryGetValue(token, out var id) ? id : throw new FairscopeException($"'{token}' is not in the multimodal vocabulary");

    /// <summary>The ids of <paramref name="text"/>'s words (unknown words as <c>&lt;unk&gt;</c>).</summary>
    public int[] Encode(string text) => [.. Words(text).Select(w => _ids.TryGetValue(w, out var id) ? id : _ids[UnknownWord])];

    /// <summary>The words of text token ids joined by spaces; special and image tokens are left out.</summary>
    public string Decode(IEnumerable<int> ids) =>
        string.Join(' ', ids.Where(id => id >= Specials.Length && id < _words.Length).Select(id => _words[id]));

    /// <summary>True for an image-code token.</summary>
    public bool IsImageToken(int id) => id >= FirstImageToken && id < Size;

    /// <summary>The image token of code <paramref name="code"/>.</summary>
    public int ImageToken(int code) => FirstImageToken + code;

    /// <summary>Lower-cased runs of letters and digits.</summary>
    public static IEnumerable<string> Words(string text) => WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value);

    /// <summary>Writes the words and the codebook size as JSON.</summary>
    public void Save(string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(new { words = _words[Specials.Length..], codebook = Codebook }));

    /// <summary>Reads a vocabulary written by <see cref="Save"/>.</summary>
    public static MultimodalVocabulary Load(string path)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            return new MultimodalVocabulary([.. root.GetProperty("words").EnumerateArray().Select(w => w.GetString()!)], root.GetProperty("codebook").GetInt32());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FairscopeException($"{path}: not a multimodal vocabulary ({e.Message})");
        }
    }

    [GeneratedRegex("[a-z0-9]+")] private static partial Regex WordPattern();
}
