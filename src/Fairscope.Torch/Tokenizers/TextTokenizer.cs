using System.Text;
using Microsoft.ML.Tokenizers;

namespace Fairscope;

/// <summary>
/// The built-in model's tokenizer: GPT-2-style byte-level BPE, encoded and decoded by Microsoft.ML.Tokenizers'
/// <see cref="BpeTokenizer"/> (byte-level, with <see cref="Gpt2PreTokenizer"/>). Any text round-trips:
/// <c>Decode(Encode(s)) == s</c> for well-formed UTF-16 (lone surrogates become U+FFFD, as in UTF-8). Special tokens
/// written in the text, such as <c>&lt;|endoftext|&gt;</c>, encode to their ids.
/// </summary>
public sealed class TextTokenizer
{
    private readonly BpeTokenizer _tokenizer;
    private readonly bool[] _known;
    private readonly int[] _byteLengths; // UTF-8 bytes each token id stands for

    /// <summary>Wraps <paramref name="vocabulary"/>, from <see cref="BpeTrainer"/> or <see cref="BpeVocabularyReader"/>.</summary>
    public TextTokenizer(BpeVocabulary vocabulary)
    {
        Vocabulary = vocabulary;
        var specials = vocabulary.SpecialTokens;
        _tokenizer = BpeTokenizer.Create(new BpeOptions(vocabulary.Tokens)
        {
            Merges = vocabulary.Merges.Select(m => $"{m.Left} {m.Right}"),
            ByteLevel = true,
            PreTokenizer = Gpt2PreTokenizer.Create(specials),
            SpecialTokens = specials.Count == 0 ? null : specials,
        });
        _known = new bool[vocabulary.Size];
        _byteLengths = new int[vocabulary.Size];
        foreach (var (token, tokenId) in vocabulary.Tokens)
        {
            _known[tokenId] = true;
            _byteLengths[tokenId] = token.Length; // one Gpt2ByteAlphabet symbol per byte
        }
        foreach (var (text, specialId) in specials) _byteLengths[specialId] = Encoding.UTF8.GetByteCount(text); // matched literally
        EndOfTextId = specials.TryGetValue(BpeVocabulary.EndOfText, out int id) ? id : null;
    }

    /// <summary>The vocabulary: tokens, merges and special tokens.</summary>
    public BpeVocabulary Vocabulary { get; }

    /// <summary>One more than the largest id: the number of rows an embedding table needs.</summary>
    public int VocabularySize => Vocabulary.Size;

    /// <summary>The id of <c>&lt;|endoftext|&gt;</c>, if the vocabulary has it (trained ones always do).</summary>
    public int? EndOfTextId { get; }

    /// <summary>The special tokens and their ids.</summary>
    public IReadOnlyDictionary<string, int> SpecialTokens => Vocabulary.SpecialTokens;

    /// <summary>The Microsoft.ML.Tokenizers tokenizer underneath, for what this wrapper does not expose.</summary>
    public Tokenizer Inner => _tokenizer;

    /// <summary>Loads <paramref name="directory"/>: its tokenizer.json if it has one, else its vocab.json + merges.txt.</summary>
    public static TextTokenizer Load(string directory)
    {
        if (!Directory.Exists(directory)) throw new FairscopeException($"{directory}: tokenizer directory not found");
        var tokenizerJson = Path.Combine(directory, BpeVocabularyReader.TokenizerJsonFileName);
        if (File.Exists(tokenizerJson)) return new(BpeVocabularyReader.ReadTokenizerJson(tokenizerJson));
        var vocab = Path.Combine(directory, BpeVocabulary.VocabFileName);
        var merges = Path.Combine(directory, BpeVocabulary.MergesFileName);
        if (!File.Exists(vocab) && !File.Exists(merges))
            throw new FairscopeException($"{directory}: unknown tokenizer format: neither {BpeVocabularyReader.TokenizerJsonFileName} nor {BpeVocabulary.VocabFileName} + {BpeVocabulary.MergesFileName} found");
        return new(BpeVocabularyReader.ReadFiles(vocab, merges));
    }

    /// <summary>Loads a GPT-2 vocab.json + merges.txt pair.</summary>
    public static TextTokenizer FromFiles(string vocabPath, string mergesPath) => new(BpeVocabularyReader.ReadFiles(vocabPath, mergesPath));

    /// <summary>Loads a Hugging Face tokenizer.json whose model is byte-level BPE.</summary>
    public static TextTokenizer FromTokenizerJson(string path) => new(BpeVocabularyReader.ReadTokenizerJson(path));

    /// <summary>Writes vocab.json + merges.txt into <paramref name="directory"/>, which <see cref="Load"/> reads back.</summary>
    public void Save(string directory) => Vocabulary.Save(directory);

    /// <summary>The token ids of <paramref name="text"/>.</summary>
    public int[] Encode(string text) => [.. _tokenizer.EncodeToIds(ReplaceLoneSurrogates(text))];

    /// <summary>
    /// The token ids of <paramref name="text"/> (those of <see cref="Encode"/>) and, for each token, the span of
    /// <paramref name="text"/>'s UTF-16 characters it came from: every character at least one of whose UTF-8 bytes the
    /// token holds. Spans are never empty and follow each other in order; a character whose bytes are split over
    /// several tokens (a multi-byte character the vocabulary has no token for, such as an unseen emoji, or one whose
    /// bytes merged with a neighbour's) lies in the span of each, so those spans overlap; a surrogate pair is one
    /// character of length 2, and a lone surrogate is the one character it stands for (U+FFFD).
    /// </summary>
    /// <remarks>Spans are computed from the bytes each token stands for, not taken from Microsoft.ML.Tokenizers'
    /// <c>EncodedToken.Offset</c>, which (in 2.0.1) gives a character outside the Basic Multilingual Plane, a surrogate
    /// pair, a length of 1, so that a span would miss its low surrogate.</remarks>
    public (int[] Ids, (int Start, int Length)[] Offsets) EncodeWithOffsets(string text)
    {
        var ids = Encode(text);
        var characterOfByte = new List<(int Start, int End)>(text.Length); // for each UTF-8 byte, its character's span
        int character = 0;
        foreach (var rune in text.EnumerateRunes()) // a lone surrogate enumerates as U+FFFD, as Encode reads it
        {
            int end = character + rune.Utf16SequenceLength;
            for (int b = 0; b < rune.Utf8SequenceLength; b++) characterOfByte.Add((character, end));
            character = end;
        }
        var offsets = new (int Start, int Length)[ids.Length];
        int first = 0; // the token's first byte
        for (int i = 0; i < ids.Length; i++)
        {
            int next = first + _byteLengths[ids[i]];
            offsets[i] = (characterOfByte[first].Start, characterOfByte[next - 1].End - characterOfByte[first].Start);
            first = next;
        }
        return (ids, offsets);
    }

    /// <summary>
    /// The text of <paramref name="ids"/>. Special tokens decode to their text unless <paramref name="skipSpecialTokens"/>
    /// is set; bytes that do not form complete UTF-8 (a sequence cut mid-character) become U+FFFD.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is not in the vocabulary.</exception>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        var list = ids as IReadOnlyList<int> ?? ids.ToArray();
        foreach (int id in list)
        {
            if ((uint)id >= (uint)_known.Length || !_known[id]) throw new ArgumentOutOfRangeException(nameof(ids), id, "token id not in the vocabulary");
        }
        return _tokenizer.Decode(list, considerSpecialTokens: !skipSpecialTokens);
    }

    /// <summary>Replaces each unpaired surrogate with U+FFFD, as UTF-8 encoding does; Microsoft.ML.Tokenizers would
    /// otherwise encode it as three bytes that do not decode.</summary>
    private static string ReplaceLoneSurrogates(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            return Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));
        }
        return text;
    }
}
