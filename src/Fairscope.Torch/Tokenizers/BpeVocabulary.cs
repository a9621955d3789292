using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Fairscope;

/// <summary>
/// A GPT-2-style byte-level BPE vocabulary: token strings (over <see cref="Gpt2ByteAlphabet"/>) with their ids, the
/// ranked merges, and special tokens matched literally in text. <see cref="BpeTrainer"/> makes one,
/// <see cref="BpeVocabularyReader"/> reads one, and <see cref="TextTokenizer"/> encodes with it.
/// </summary>
public sealed class BpeVocabulary
{
    /// <summary>The file that holds the token → id map.</summary>
    public const string VocabFileName = "vocab.json";

    /// <summary>The file that holds the merges, one per line, in rank order.</summary>
    public const string MergesFileName = "merges.txt";

    /// <summary>The first line of a GPT-2 merges file.</summary>
    public const string MergesHeader = "#version: 0.2";

    /// <summary>GPT-2's end-of-text token.</summary>
    public const string EndOfText = "<|endoftext|>";

    private Dictionary<(string, string), int>? _ranks;
    private Regex? _specialTokenRegex;

    /// <summary>Creates a vocabulary from checked parts; <see cref="BpeVocabularyReader"/> checks files.</summary>
    internal BpeVocabulary(
        IReadOnlyDictionary<string, int> tokens, IReadOnlyList<(string Left, string Right)> merges, IReadOnlyDictionary<string, int> specialTokens)
    {
        Tokens = tokens;
        Merges = merges;
        SpecialTokens = specialTokens;
        Size = tokens.Count == 0 ? 0 : tokens.Values.Max() + 1;
    }

    /// <summary>Every token, special ones included, with its id.</summary>
    public IReadOnlyDictionary<string, int> Tokens { get; }

    /// <summary>The merges in rank order: the first is applied first.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    /// <summary>The special tokens (also in <see cref="Tokens"/>), in id order.</summary>
    public IReadOnlyDictionary<string, int> SpecialTokens { get; }

    /// <summary>One more than the largest id: the number of rows an embedding table needs.</summary>
    public int Size { get; }

    /// <summary>
    /// Encodes <paramref name="text"/> by applying the merges directly, as GPT-2's <c>encoder.py</c> does: in each
    /// pre-tokenized piece, repeatedly merge every occurrence of the adjacent pair with the lowest rank. Unoptimised;
    /// <see cref="TextTokenizer"/> is the fast path, and this is the reference it is checked against.
    /// </summary>
    public int[] Encode(string text)
    {
        _ranks ??= Merges.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);
        _specialTokenRegex ??= Gpt2PreTokenizer.SpecialTokenRegex(SpecialTokens.Keys);
        var ids = new List<int>();
        foreach (var (piece, isSpecial) in Gpt2PreTokenizer.Split(text, _specialTokenRegex))
        {
            if (isSpecial)
            {
                ids.Add(SpecialTokens[piece]);
                continue;
            }
            var symbols = Gpt2ByteAlphabet.Encode(piece).Select(c => c.ToString()).ToList();
            while (symbols.Count > 1)
            {
                int best = -1, bestRank = int.MaxValue;
                for (int i = 0; i + 1 < symbols.Count; i++)
                {
                    if (_ranks.TryGetValue((symbols[i], symbols[i + 1]), out int rank) && rank < bestRank) (best, bestRank) = (i, rank);
                }
                if (best < 0) break;
                var (left, right) = (symbols[best], symbols[best + 1]);
                var merged = new List<string>(symbols.Count);
                for (int i = 0; i < symbols.Count; i++)
                {
                    if (i + 1 < symbols.Count && symbols[i] == left && symbols[i + 1] == right)
                    {
                        merged.Add(left + right);
                        i++;
                    }
                    else merged.Add(symbols[i]);
                }
                symbols = merged;
            }
            ids.AddRange(symbols.Select(s => Tokens[s]));
        }
        return ids.ToArray();
    }

    /// <summary>Writes <c>vocab.json</c> and <c>merges.txt</c> into <paramref name="directory"/> (created if needed).</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        using (var vocab = File.Create(Path.Combine(directory, VocabFileName))) WriteVocabJson(vocab);
        using (var merges = File.Create(Path.Combine(directory, MergesFileName))) WriteMerges(merges);
    }

    /// <summary>Writes the token → id map as one JSON object, in id order, one entry per line (UTF-8, no BOM).</summary>
    public void WriteVocabJson(Stream stream)
    {
        var options = new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var writer = new Utf8JsonWriter(stream, options);
        writer.WriteStartObject();
        foreach (var (token, id) in Tokens.OrderBy(t => t.Value)) writer.WriteNumber(token, id);
        writer.WriteEndObject();
    }

    /// <summary>Writes the merges file: the <c>#version: 0.2</c> header, then "left right" per line (UTF-8, "\n").</summary>
    public void WriteMerges(Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine(MergesHeader);
        foreach (var (left, right) in Merges) writer.WriteLine($"{left} {right}");
    }
}
