using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Fairscope;

/// <summary>Per-sample seeds: a stable hash of (run seed, prompt id, sample index), so a sample gets the same seed
/// on every machine and on resume, and no two samples of a run share one by construction of the index.</summary>
public static class SampleSeeds
{
    /// <summary>A non-negative 31-bit seed (some servers reject larger ones).</summary>
    public static long For(long runSeed, string promptId, int sampleIndex)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{runSeed}\n{promptId}\n{sampleIndex}"));
        return BinaryPrimitives.ReadUInt32LittleEndian(hash) & int.MaxValue;
    }
}
