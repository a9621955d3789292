using System.Text;

namespace Fairscope;

/// <summary>
/// GPT-2's reversible map from the 256 byte values to printable Unicode characters (<c>bytes_to_unicode</c> in
/// OpenAI's <c>encoder.py</c>): printable Latin-1 bytes map to themselves and the other 68 bytes (controls, space,
/// soft hyphen and so on) to U+0100 onwards, so that every byte-level token is a visible string without spaces.
/// </summary>
public static class Gpt2ByteAlphabet
{
    private static readonly char[] ByteToCharTable = BuildTable();
    private static readonly Dictionary<char, byte> CharToByteTable =
        Enumerable.Range(0, 256).ToDictionary(b => ByteToCharTable[b], b => (byte)b);

    /// <summary>The 256 byte symbols in GPT-2's vocabulary order: the printable bytes first, in byte order, then the
    /// others, so that symbol <c>i</c> has id <c>i</c> in GPT-2's vocab.json (space, <c>Ġ</c>, is 220).</summary>
    public static IReadOnlyList<char> Symbols { get; } = BuildSymbols();

    /// <summary>The character that stands for byte <paramref name="b"/>.</summary>
    public static char ToChar(byte b) => ByteToCharTable[b];

    /// <summary>The byte that <paramref name="c"/> stands for, if it is one of the 256 symbols.</summary>
    public static bool TryGetByte(char c, out byte b) => CharToByteTable.TryGetValue(c, out b);

    /// <summary>The UTF-8 bytes of <paramref name="text"/>, one symbol per byte (lone surrogates become U+FFFD).</summary>
    public static string Encode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return string.Create(bytes.Length, bytes, static (chars, bytes) =>
        {
            for (int i = 0; i < bytes.Length; i++) chars[i] = ByteToCharTable[bytes[i]];
        });
    }

    // Printable ranges '!'..'~', '¡'..'¬' and '®'..'ÿ' keep their code points; the remaining bytes, in byte order,
    // take U+0100, U+0101, ...
    private static bool IsPrintable(int b) => b is >= '!' and <= '~' or >= '¡' and <= '¬' or >= '®' and <= 'ÿ';

    private static char[] BuildTable()
    {
        var table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++) table[b] = IsPrintable(b) ? (char)b : (char)next++;
        return table;
    }

    private static char[] BuildSymbols()
    {
        var printable = Enumerable.Range(0, 256).Where(IsPrintable);
        var rest = Enumerable.Range(0, 256).Where(b => !IsPrintable(b));
        return printable.Concat(rest).Select(b => ByteToCharTable[b]).ToArray();
    }
}
