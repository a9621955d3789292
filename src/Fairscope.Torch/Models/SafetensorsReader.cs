using System.Buffers;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Fairscope;

/// <summary>
/// Reads tensors from a safetensors file by name. The header is read and checked on opening; each tensor's data is
/// read on demand by seeking to its offsets, so a large file is never held in memory at once. F16 and BF16 data is
/// widened to float32, F64 narrowed; every tensor loads as a contiguous float32 CPU tensor that the caller owns.
/// </summary>
public sealed class SafetensorsReader : IDisposable
{
    private const int ChunkElements = 1 << 16;
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

    /// <summary>Loads the tensor named <paramref name="name"/> as float32.</summary>
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

    private Tensor Load(SafetensorsEntry entry)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors data is little-endian; this machine is not");
        var tensor = empty(entry.Shape.ToArray(), ScalarType.Float32);
        try
        {
            _stream.Position = Header.DataStart + entry.Begin;
            Span<byte> target = tensor.bytes;
            if (entry.DType == SafetensorsDType.F32)
                _stream.ReadExactly(target);
            else
                ReadWidened(entry.DType, MemoryMarshal.Cast<byte, float>(target));
            return tensor;
        }
        catch (EndOfStreamException)
        {
            tensor.Dispose();
            throw SafetensorsHeader.Invalid(Path, $"truncated: the data of tensor '{entry.Name}' ends past the end of the file");
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    // Reads elements chunk by chunk and converts each to float32.
    private void ReadWidened(SafetensorsDType dtype, Span<float> target)
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
                    target[done + i] = (float)SafetensorsEntry.Read(dtype, chunk[(size * i)..]);
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
