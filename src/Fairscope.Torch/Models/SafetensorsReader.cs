using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Fairscope;

/// <summary>
/// Reads tensors from a safetensors file by name. The header is read and checked on opening; each tensor's data is
/// read on demand by seeking to its offsets, so a large file is never held in memory at once. F16 and BF16 data is
/// widened to float32, F64 narrowed; every floating-point tensor loads as a contiguous float32 CPU tensor that the caller
/// owns (or float64 on request). Integer, boolean and FP8 tensors do not load, but <see cref="CopyRaw"/> copies any
/// tensor's bytes.
/// </summary>
public sealed class SafetensorsReader : IDisposable
{
    private const int ChunkElements = 1 << 16;
    private const int CopyBufferBytes = 1 << 20;
    private readonly FileStream _stream;

    private SafetensorsReader(FileStream stream, string path, SafetensorsHeader header)
    {
        _stream = stream;
        Path = path;
        Header = header;
    }

    /// <summary>The file being read.</summary>
    public string Path { get; }

    /// <summary>Names, dtypes, shapes and offsets of the file's tensors, and its metadata.</summary>
    public SafetensorsHeader Header { get; }

    /// <summary>Opens <paramref name="path"/> and checks its header.</summary>
    public static SafetensorsReader Open(string path)
    {
        if (!File.Exists(path)) throw new FairscopeException($"{path}: safetensors file not found");
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        try
        {
            return new SafetensorsReader(stream, path, SafetensorsHeader.Read(stream, path));
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Loads the tensor named <paramref name="name"/> as float32; see <see cref="Load(SafetensorsEntry, ScalarType)"/>.</summary>
    public Tensor Load(string name)
    {
        var entry = Header.Find(name)
            ?? throw new FairscopeException($"{Path}: no tensor named '{name}' (the file has {Header.Tensors.Count}: {string.Join(", ", Header.Names.Take(10))}{(Header.Tensors.Count > 10 ? ", ..." : "")})");
        return Load(entry);
    }

    /// <summary>Loads every tensor, keyed by name, in data order.</summary>
    public Dictionary<string, Tensor> LoadAll()
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in Header.Tensors) tensors.Add(entry.Name, Load(entry));
            return tensors;
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
    }

    /// <summary>Loads <paramref name="entry"/> (one of <see cref="Header"/>'s) as a contiguous CPU tensor of
    /// <paramref name="type"/>, float32 or float64; F32, F16 and BF16 data widens to float64 exactly.
    /// Throws <see cref="FairscopeException"/> naming the tensor when its dtype is not floating point (integer, boolean
    /// or FP8 data: <see cref="CopyRaw"/> copies it).</summary>
    public Tensor Load(SafetensorsEntry entry, ScalarType type = ScalarType.Float32)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors data is little-endian; this machine is not");
        if (type is not (ScalarType.Float32 or ScalarType.Float64)) throw new ArgumentOutOfRangeException(nameof(type), type, "float32 or float64");
        if (!SafetensorsEntry.IsFloat(entry.DType))
            throw new FairscopeException($"{Path}: tensor '{entry.Name}' is {entry.DType}, which does not load as a floating-point tensor; only F32, F16, BF16 and F64 tensors do");
        var tensor = empty(entry.Shape.ToArray(), type);
        try
        {
            Seek(entry);
            Span<byte> target = tensor.bytes;
            if ((entry.DType, type) is (SafetensorsDType.F32, ScalarType.Float32) or (SafetensorsDType.F64, ScalarType.Float64))
                _stream.ReadExactly(target);
            else if (type == ScalarType.Float32)
                ReadConverted(entry.DType, MemoryMarshal.Cast<byte, float>(target));
            else
                ReadConverted(entry.DType, MemoryMarshal.Cast<byte, double>(target));
            return tensor;
        }
        catch (EndOfStreamException)
        {
            tensor.Dispose();
            throw Truncated(entry);
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>Copies the stored bytes of <paramref name="entry"/> (one of <see cref="Header"/>'s), whatever its
    /// dtype, to <paramref name="destination"/> unchanged, through a fixed-size buffer.</summary>
    public void CopyRaw(SafetensorsEntry entry, Stream destination)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            Seek(entry);
            for (long left = entry.End - entry.Begin; left > 0;)
            {
                int count = (int)Math.Min(left, buffer.Length);
                _stream.ReadExactly(buffer, 0, count);
                destination.Write(buffer, 0, count);
                left -= count;
            }
        }
        catch (EndOfStreamException)
        {
            throw Truncated(entry);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Seek(SafetensorsEntry entry) => _stream.Position = Header.DataStart + entry.Begin;

    // The header was checked against the file's length on opening, so the file shrank since.
    private FairscopeException Truncated(SafetensorsEntry entry) =>
        SafetensorsHeader.Invalid(Path, $"truncated: the data of tensor '{entry.Name}' ends past the end of the file");

    // Reads elements chunk by chunk and converts each to T (float32 or float64).
    private void ReadConverted<T>(SafetensorsDType dtype, Span<T> target) where T : IFloatingPointIeee754<T>
    {
        int size = SafetensorsEntry.ElementSize(dtype);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkElements * size);
        try
        {
            for (int done = 0; done < target.Length;)
            {
                int count = Math.Min(ChunkElements, target.Length - done);
                var chunk = buffer.AsSpan(0, count * size);
                _stream.ReadExactly(chunk);
                for (int i = 0; i < count; i++)
                    target[done + i] = T.CreateTruncating(SafetensorsEntry.Read(dtype, chunk[(size * i)..]));
                done += count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose() => _stream.Dispose();
}
