using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Fairscope;

/// <summary>
/// CLIP's tokenizer, as Stable Diffusion uses it: byte-level BPE whose word-final symbols carry <c>&lt;/w&gt;</c>,
/// run by Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>, with what CLIP adds around the BPE: clean-up
/// (Unicode NFC, whitespace runs collapsed to one space, trimmed) and lowercasing, CLIP's pre-tokenizer pattern,
/// <c>&lt;|startoftext|&gt;</c> first and <c>&lt;|endoftext|&gt;</c> last, truncation to <see cref="MaxLength"/> and
/// padding with the pad token. Reads a Hugging Face CLIP tokenizer directory (<c>vocab.json</c>, <c>merges.txt</c>,
/// optionally <c>special_tokens_map.json</c> or <c>tokenizer_config.json</c> for the pad token).
/// </summary>
public sealed partial class ClipTokenizer
{
    /// <summary>The token every sequence starts with.</summary>
    public const string StartOfText = "<|startoftext|>";

    /// <summary>The token every sequence ends with (and Stable Diffusion 1.x pads with).</summary>
    public const string EndOfText = "<|endoftext|>";

    /// <summary>The suffix CLIP's BPE puts on a word's last symbol, so that "a" at the end of a word is not "a" inside one.</summary>
    public const string EndOfWord = "</w>";

    /// <summary>CLIP's context length, the default <see cref="MaxLength"/>.</summary>
    public const int DefaultMaxLength = 77;

    /// <summary>How many merges CLIP uses: OpenAI's <c>simple_tokenizer.py</c> (and transformers' CLIPTokenizer) read
    /// <c>merges[1:49152-256-2+1]</c>, the 48,894 lines after the version header, which with the 256 byte symbols,
    /// their 256 word-final twins and the 2 special tokens make CLIP's 49,408 ids. Later lines are ignored.</summary>
    public const int MergeCount = 49152 - 256 - 2;

    private const string SpecialTokensMapFileName = "special_tokens_map.json";
    private const string TokenizerConfigFileName = "tokenizer_config.json";

    private readonly BpeTokenizer _bpe;

    private ClipTokenizer(BpeTokenizer bpe, int startOfTextId, int endOfTextId, int padId, int vocabularySize, int maxLength)
    {
        _bpe = bpe;
        (StartOfTextId, EndOfTextId, PadId, VocabularySize, MaxLength) = (startOfTextId, endOfTextId, padId, vocabularySize, maxLength);
    }

    /// <summary>The id of <see cref="StartOfText"/> (49406 in CLIP).</summary>
    public int StartOfTextId { get; }

    /// <summary>The id of <see cref="EndOfText"/> (49407 in CLIP).</summary>
    public int EndOfTextId { get; }

    /// <summary>The id <see cref="EncodePadded"/> pads with: <see cref="EndOfTextId"/> unless the tokenizer files name
    /// another pad token (Stable Diffusion 2.x pads with "!", id 0).</summary>
    public int PadId { get; }

    /// <summary>One more than the largest id: the rows a token embedding needs.</summary>
    public int VocabularySize { get; }

    /// <summary>The most ids a sequence has, both special tokens included; <see cref="EncodePadded"/> gives exactly this many.</summary>
    public int MaxLength { get; }

    // CLIP's split pattern (OpenAI's simple_tokenizer.py, compiled there with re.IGNORECASE): the special tokens,
    // contractions, letter runs, single digits and runs of other non-space characters. Whitespace is never part of a
    // piece, so it never reaches the BPE; the word boundary is the </w> suffix instead.
    [GeneratedRegex(@"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PiecePattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>
    /// Loads the tokenizer in <paramref name="directory"/> or its <c>tokenizer/</c> subdirectory (a diffusers
    /// pipeline). Sequences are cut or padded to <paramref name="maxLength"/> ids, the text encoder's positions.
    /// Missing or malformed files, and a vocabulary without CLIP's special tokens, are a <see cref="FairscopeException"/>
    /// naming the file.
    /// </summary>
    public static ClipTokenizer Load(string directory, int maxLength = DefaultMaxLength)
    {
        if (maxLength < 2) throw new FairscopeException($"CLIP tokenizer: maxLength must be at least 2 (start and end of text), got {maxLength}");
        if (!Directory.Exists(directory)) throw new FairscopeException($"{directory}: CLIP tokenizer directory not found");
        string folder = File.Exists(Path.Combine(directory, BpeVocabulary.VocabFileName)) ? directory
            : File.Exists(Path.Combine(directory, "tokenizer", BpeVocabulary.VocabFileName)) ? Path.Combine(directory, "tokenizer")
            : throw new FairscopeException($"{directory}: no {BpeVocabulary.VocabFileName} in the directory or its tokenizer/ subdirectory; a CLIP tokenizer is {BpeVocabulary.VocabFileName} + {BpeVocabulary.MergesFileName}");
        string vocabPath = Path.Combine(folder, BpeVocabulary.VocabFileName), mergesPath = Path.Combine(folder, BpeVocabulary.MergesFileName);
        if (!File.Exists(mergesPath)) throw new FairscopeException($"{mergesPath}: CLIP merges file not found (it belongs beside {BpeVocabulary.VocabFileName})");

        var vocabulary = ReadVocabulary(vocabPath);
        int Id(string token, string path, string what) => vocabulary.TryGetValue(token, out int id) ? id
            : throw new FairscopeException($"{path}: {what} '{token}' is not in the vocabulary ({vocabPath}); not a CLIP tokenizer");
        int startOfText = Id(StartOfText, vocabPath, "start-of-text token"), endOfText = Id(EndOfText, vocabPath, "end-of-text token");
        var (padToken, padSource) = ReadPadToken(folder);
        int pad = padToken is null ? endOfText : Id(padToken, padSource!, "pad token");

        BpeTokenizer bpe;
        try
        {
            bpe = BpeTokenizer.Create(new BpeOptions(vocabulary)
            {
                Merges = ReadMerges(mergesPath),
                ByteLevel = true, // UTF-8 bytes mapped to printable characters as GPT-2's (and CLIP's) bytes_to_unicode
                EndOfWordSuffix = EndOfWord, // each piece's last symbol is looked up, and merged, with </w>
                PreTokenizer = new RegexPreTokenizer(PiecePattern(), null),
                // The two special tokens match as whole pieces of the pattern and map to their ids, not through BPE.
                SpecialTokens = new Dictionary<string, int> { [StartOfText] = startOfText, [EndOfText] = endOfText },
                // A symbol missing from the vocabulary (never, with all 512 byte symbols) becomes end-of-text, as in
                // transformers' CLIP tokenizers; without an unknown token the library would silently drop it.
                UnknownToken = EndOfText,
            });
        }
        catch (InvalidOperationException e) // Microsoft.ML.Tokenizers' complaint about a merge whose tokens are not in the vocabulary
        {
            throw new FairscopeException($"{mergesPath}: does not fit {vocabPath}: {e.Message}", e);
        }
        return new ClipTokenizer(bpe, startOfText, endOfText, pad, vocabulary.Values.Max() + 1, maxLength);
    }

    /// <summary>
    /// The ids of <paramref name="text"/>: <see cref="StartOfTextId"/>, the BPE tokens of the cleaned, lowercased text,
    /// <see cref="EndOfTextId"/>; cut to <see cref="MaxLength"/> ids by dropping tokens from the end of the text, so
    /// the end-of-text token is always last. Not padded.
    /// </summary>
    public int[] Encode(string text)
    {
        // Start and end are added here, not through BpeOptions' BeginningOfSentenceToken/EndOfSentenceToken: the
        // library returns no ids at all for empty text (2.0.1), where CLIP gives [start, end].
        var body = _bpe.EncodeToIds(Clean(text));
        return [StartOfTextId, .. body.Take(MaxLength - 2), EndOfTextId];
    }

    /// <summary><see cref="Encode"/> padded with <see cref="PadId"/> to exactly <see cref="MaxLength"/> ids, and the
    /// position of the first <see cref="EndOfTextId"/>: the token whose hidden state is the prompt's pooled embedding.</summary>
    public (int[] Ids, int EndOfText) EncodePadded(string text)
    {
        var ids = Encode(text);
        var padded = new int[MaxLength];
        Array.Fill(padded, PadId);
        ids.CopyTo(padded, 0);
        return (padded, Array.IndexOf(padded, EndOfTextId));
    }

    /// <summary>What the BPE sees of <paramref name="text"/>: the cleaned, lowercased text split into pieces by CLIP's
    /// pattern, special tokens included.</summary>
    internal static IEnumerable<string> Pieces(string text) => PiecePattern().Matches(Clean(text)).Select(m => m.Value);

    // CLIP's basic_clean and whitespace_clean, then lower(). ftfy's repairs of mis-decoded text are not reproduced;
    // its NFC normalization is, as is Hugging Face's fast CLIP tokenizer's normalizer (NFC, \s+ → " ", lowercase).
    private static string Clean(string text) =>
        Whitespace().Replace(text.Normalize(NormalizationForm.FormC), " ").Trim().ToLowerInvariant();

    private static Dictionary<string, int> ReadVocabulary(string path)
    {
        Dictionary<string, int>? vocabulary;
        try
        {
            using var stream = File.OpenRead(path);
            vocabulary = JsonSerializer.Deserialize<Dictionary<string, int>>(stream);
        }
        catch (JsonException e)
        {
            throw new FairscopeException($"{path}: malformed CLIP vocabulary: expected a JSON object of token → id ({e.Message})", e);
        }
        if (vocabulary is null || vocabulary.Count == 0) throw new FairscopeException($"{path}: malformed CLIP vocabulary: it is empty");
        if (vocabulary.Values.Min() < 0) throw new FairscopeException($"{path}: malformed CLIP vocabulary: ids must be non-negative");
        return vocabulary;
    }

    // The merges as "left right" lines, after the optional "#version" header, at most MergeCount of them.
    private static List<string> ReadMerges(string path)
    {
        var merges = new List<string>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (merges.Count == MergeCount) break;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal))) continue;
            var parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new FairscopeException($"{path}: line {lineNumber}: malformed merge '{line}': expected two tokens separated by one space");
            merges.Add(line);
        }
        return merges;
    }

    // The pad token that special_tokens_map.json or, failing that, tokenizer_config.json names (a string, or an
    // object whose "content" is one, as transformers writes AddedToken), and the file it came from; null when neither says.
    private static (string? Token, string? Source) ReadPadToken(string folder)
    {
        foreach (var name in new[] { SpecialTokensMapFileName, TokenizerConfigFileName })
        {
            string path = Path.Combine(folder, name);
            if (!File.Exists(path)) continue;
            JsonNode? root;
            try
            {
                root = JsonNode.Parse(File.ReadAllText(path));
            }
            catch (JsonException e)
            {
                throw new FairscopeException($"{path}: not valid JSON ({e.Message})", e);
            }
            var pad = (root as JsonObject)?["pad_token"];
            if (pad is JsonObject added) pad = added["content"];
            if (pad is null) continue;
            if (pad.GetValueKind() != JsonValueKind.String)
                throw new FairscopeException($"{path}: pad_token must be a string or an object with a string \"content\", got {pad.ToJsonString()}");
            return (pad.GetValue<string>(), path);
        }
        return (null, null);
    }
}
