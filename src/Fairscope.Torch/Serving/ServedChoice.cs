using System.Text;

namespace Fairscope;

/// <summary>
/// One generated choice, cut for the wire: <see cref="Text"/> is the decoded continuation, truncated before the first
/// stop sequence; <see cref="Tokens"/> are the generated tokens that lie wholly inside it (a token a stop sequence cuts
/// is dropped), each with its exact log-probability and top alternatives, and <see cref="Pieces"/> the text each adds
/// (empty while a character is split across tokens); <see cref="Tail"/> is the text after the last whole token (only
/// non-empty when a stop sequence cut a token). Pieces + tail concatenate to the text.
/// </summary>
public sealed record ServedChoice(
    int Index,
    string Text,
    string FinishReason,
    int[] Tokens,
    string[] Pieces,
    string Tail,
    double[] LogProbabilities,
    (int Token, double LogProbability)[][] Top,
    int GeneratedTokens)
{
    /// <summary>Generates choice <paramref name="index"/> of <paramref name="request"/> (seed + index) from the context ids.</summary>
    public static ServedChoice Generate(LanguageModel model, IReadOnlyList<int> context, ServingRequest request, int index)
    {
        var continuation = model.Continue(context, request.MaxTokens, request.Temperature, request.TopP, request.Seed + index,
            request.LogProbabilities ? request.TopLogProbabilities : 0);
        var tokenizer = model.Tokenizer;
        var tokens = continuation.Tokens;
        var full = tokenizer.Decode(tokens, skipSpecialTokens: true);
        string text = full, finish = continuation.EndOfText ? "stop" : "length";
        int cut = request.Stop.Select(s => full.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
        if (cut >= 0) (text, finish) = (full[..cut], "stop");

        // A token ends a piece where the decoded prefix is settled: a prefix of the full text (not a character still
        // waiting for its next bytes, which decodes as U+FFFD for now); tokens before that add empty pieces.
        var pieces = new List<string>();
        int boundary = 0, kept = 0;
        for (int i = 1; i <= tokens.Length; i++)
        {
            var prefix = tokenizer.Decode(tokens[..i], skipSpecialTokens: true);
            if (!full.StartsWith(prefix, StringComparison.Ordinal))
            {
                pieces.Add("");
                continue;
            }
            if (prefix.Length > text.Length) break; // this token reaches into the stop sequence
            pieces.Add(text[boundary..prefix.Length]);
            (boundary, kept) = (prefix.Length, i);
        }
        return new ServedChoice(index, text, finish, tokens[..kept], [.. pieces.Take(kept)], text[boundary..],
            continuation.LogProbabilities[..kept], continuation.Top[..kept], continuation.Tokens.Length + (continuation.EndOfText ? 1 : 0));
    }
}
/// <summary>Token ids to the strings and bytes an OpenAI-style logprobs field shows.</summary>
public sealed class TokenTexts
{
    private readonly TextTokenizer _tokenizer;
    private readonly Dictionary<int, byte[]> _bytes = [];

    /// <summary>Reads the byte sequence of every vocabulary entry (GPT-2 byte alphabet; special tokens as UTF-8).</summary>
    public TokenTexts(TextTokenizer tokenizer)
    {
        _tokenizer = tokenizer;
        foreach (var (symbol, id) in tokenizer.Vocabulary.Tokens)
        {
            var bytes = new byte[symbol.Length];
            bool mapped = true;
            for (int i = 0; i < symbol.Length && mapped; i++) mapped = Gpt2ByteAlphabet.TryGetByte(symbol[i], out bytes[i]);
            _bytes[id] = mapped ? bytes : Encoding.UTF8.GetBytes(symbol);
        }
        foreach (var (symbol, id) in tokenizer.SpecialTokens) _bytes[id] = Encoding.UTF8.GetBytes(symbol);
    }

    /// <summary>The token's text (U+FFFD where it holds part of a character).</summary>
    public string Text(int id) => _tokenizer.Decode([id]);

    /// <summary>The token's bytes.</summary>
    public byte[] Bytes(int id) => _bytes.TryGetValue(id, out var bytes) ? bytes : Encoding.UTF8.GetBytes(Text(id));
}
