namespace Fairscope;

/// <summary>Reads a response body that a server could make arbitrarily large, refusing it past a limit instead of
/// trusting a Content-Length header (chunked answers have none).</summary>
internal static class BoundedRead
{
    /// <summary>All of <paramref name="stream"/>; throws <see cref="InvalidDataException"/> naming <paramref name="what"/>
    /// once more than <paramref name="limit"/> bytes arrive.</summary>
    public static async Task<byte[]> ReadAllAsync(Stream stream, long limit, string what, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit) throw TooLarge(what, limit);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>The error for a body over <paramref name="limit"/>.</summary>
    public static InvalidDataException TooLarge(string what, long limit) => new($"{what} is over the {limit >> 20} MiB limit; refused");
}
