using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Fairscope;

/// <summary>
/// GPT-2's pre-tokenization: special tokens are cut out first (matched literally, anywhere), then each stretch of text
/// between them is split by GPT-2's pattern into contractions, letter runs, digit runs, punctuation runs and
/// whitespace, each optionally led by one space. BPE merges never cross these pieces.
/// </summary>
public static partial class Gpt2PreTokenizer
{
    /// <summary>GPT-2's split pattern, as in OpenAI's <c>encoder.py</c>.</summary>
    public const string Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    [GeneratedRegex(Pattern)]
    private static partial Regex Gpt2Regex();

    /// <summary>The same splitting as a Microsoft.ML.Tokenizers pre-tokenizer, for <see cref="BpeTokenizer"/>.</summary>
    public static PreTokenizer Create(IReadOnlyDictionary<string, int> specialTokens) =>
        new RegexPreTokenizer(Gpt2Regex(), specialTokens.Count == 0 ? null : specialTokens);

    /// <summary>A regex that finds any of <paramref name="specialTokens"/>, tried in the order given, as
    /// Microsoft.ML.Tokenizers' <see cref="RegexPreTokenizer"/> builds it; null when there are none.</summary>
    public static Regex? SpecialTokenRegex(IEnumerable<string> specialTokens)
    {
        var escaped = specialTokens.Select(Regex.Escape).ToList();
        return escaped.Count == 0 ? null : new Regex(string.Join("|", escaped), RegexOptions.CultureInvariant);
    }

    /// <summary>
    /// Splits <paramref name="text"/> into pieces. Each match of <paramref name="specialTokens"/> (from
    /// <see cref="SpecialTokenRegex"/>) is one piece with <c>IsSpecial</c> set; the text between them is split by
    /// <see cref="Pattern"/>, each stretch on its own so that a lookahead never sees past a special token.
    /// </summary>
    public static IEnumerable<(string Piece, bool IsSpecial)> Split(string text, Regex? specialTokens)
    {
        int start = 0;
        if (specialTokens is not null)
        {
            foreach (Match special in specialTokens.Matches(text))
            {
                foreach (Match m in Gpt2Regex().Matches(text[start..special.Index])) yield return (m.Value, false);
                yield return (special.Value, true);
                start = special.Index + special.Length;
            }
        }
        foreach (Match m in Gpt2Regex().Matches(start == 0 ? text : text[start..])) yield return (m.Value, false);
    }
}
