using System.Text.Json;
using static TorchSharp.torch;

namespace Fairscope;

/// <summary>
/// Writes tensors to a safetensors file as F32, in name order, with an optional <c>__metadata__</c> map, or streams a
/// file of any dtypes whose data a caller writes. The header is padded with spaces to a multiple of 8 bytes, as the
/// reference implementation does, so data stays aligned.
/// The file is written beside its destination and moved into place, so a failed write leaves no partial file.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> (floating-point, any device; stored as float32) to
    /// <paramref name="path"/>, replacing any existing file.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        foreach (var name in names)
        {
            if (!tensors[name].is_floating_point())
                throw new ArgumentException($"tensor '{name}' is {tensors[name].dtype}; only floating-point tensors are written (as F32)", nameof(tensors));
        }

        Write(path, [.. names.Select(n => (n, SafetensorsDType.F32, (IReadOnlyList<long>)tensors[n].shape))], metadata, stream =>
        {
            foreach (var name in names)
            {
                using var converted = tensors[name].to(ScalarType.Float32, CPU);
                using var contiguous = converted.contiguous();
                stream.Write(contiguous.bytes);
            }
        });
    }

    /// <summary>Writes a file of tensors with the names, dtypes and shapes of <paramref name="layout"/>, their data back
    /// to back in that order, streamed by <paramref name="writeData"/>, which must write exactly every tensor's bytes in
    /// order (little-endian), so a file of any size and dtype can be written without holding it in memory. Throws
    /// <see cref="InvalidOperationException"/> when <paramref name="writeData"/> writes a different number of bytes.</summary>
    public static void Write(string path, IReadOnlyList<(string Name, SafetensorsDType DType, IReadOnlyList<long> Shape)> layout,
        IReadOnlyDictionary<string, string>? metadata, Action<Stream> writeData)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors data is little-endian; this machine is not");
        if (layout.Any(t => t.Name == "__metadata__")) throw new ArgumentException("'__metadata__' is reserved and cannot name a tensor", nameof(layout));
        byte[] header = Header(layout, metadata);
        long dataLength = layout.Sum(t => SafetensorsEntry.ElementSize(t.DType) * t.Shape.Aggregate(1L, (n, d) => checked(n * d)));
        string temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                Span<byte> length = stackalloc byte[8];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                stream.Write(length);
                stream.Write(header);
                writeData(stream);
                if (stream.Position != 8 + header.Length + dataLength)
                    throw new InvalidOperationException($"{path}: {stream.Position - 8 - header.Length} bytes of tensor data written, but the layout needs {dataLength}");
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    // The JSON header: the tensors' data back to back in the order given, then padding with spaces to a multiple of 8.
    private static byte[] Header(IEnumerable<(string Name, SafetensorsDType DType, IReadOnlyList<long> Shape)> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal)) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, dtype, shape) in tensors)
            {
                long size = SafetensorsEntry.ElementSize(dtype) * shape.Aggregate(1L, (n, d) => checked(n * d));
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype.ToString());
                json.WriteStartArray("shape");
                foreach (long d in shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + size);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += size;
            }
            json.WriteEndObject();
        }
        while (buffer.Length % 8 != 0) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }
}
