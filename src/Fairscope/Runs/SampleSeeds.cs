using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Fairscope;

/// <summary>Per-sample seeds: a stable hash of (run seed, prompt id, sample index), so a sample gets the same seed
/// on every machine and on resume. Seeds are 31-bit, so two samples of a very large run may share one; that only
/// matters to servers that honour seeds, and then only within one prompt.</summary>
public static class SampleSeeds
{
    /// <summary>A non-negative 31-bit seed (some servers reject larger ones).</summary>
    public static long For(long runSeed, string promptId, int sampleIndex)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{runSeed}\n{promptId}\n{sampleIndex}"));
        return BinaryPrimitives.ReadUInt32LittleEndian(hash) & int.MaxValue;
    }
}
