using System.Buffers.Binary;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace Fairscope.Tests;

/// <summary>Writes the small feature files the locate tests read: .npy, .safetensors and Parquet, byte by byte where the
/// format is simple enough.</summary>
internal static class LocateFiles
{
    /// <summary>A .npy v1 file: header padded with spaces to a multiple of 64 bytes, then the raw values.</summary>
    public static string Npy(string path, string descr, long[] shape, byte[] data, bool fortran = false)
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': ({string.Join(", ", shape)}{(shape.Length == 1 ? "," : "")}), }}";
        var length = (10 + dict.Length + 1 + 63) / 64 * 64 - 10;
        var header = dict.PadRight(length - 1) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, .. "NUMPY"u8, 1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)length));
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(data);
        return path;
    }

    public static byte[] Float32(double[][] rows) => [.. rows.SelectMany(r => r).SelectMany(v => BitConverter.GetBytes((float)v))];

    public static byte[] Float64(double[][] rows) => [.. rows.SelectMany(r => r).SelectMany(BitConverter.GetBytes)];

    /// <summary>A safetensors file of (name, dtype, element size, rows) tensors, in order.</summary>
    public static string Safetensors(string path, params (string Name, string DType, int Size, double[][] Rows)[] tensors)
    {
        var json = new StringBuilder("{");
        var data = new MemoryStream();
        foreach (var (name, dtype, size, rows) in tensors)
        {
            var begin = data.Length;
            foreach (var v in rows.SelectMany(r => r))
            {
                var bytes = new byte[size];
                switch (dtype)
                {
                    case "F32": BinaryPrimitives.WriteSingleLittleEndian(bytes, (float)v); break;
                    case "F64": BinaryPrimitives.WriteDoubleLittleEndian(bytes, v); break;
                    case "F16": BinaryPrimitives.WriteHalfLittleEndian(bytes, (Half)v); break;
                    default: BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)(BitConverter.SingleToUInt32Bits((float)v) >> 16)); break;
                }
                data.Write(bytes);
            }
            json.Append($"{(json.Length > 1 ? "," : "")}\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{rows.Length},{rows[0].Length}],\"data_offsets\":[{begin},{data.Length}]}}");
        }
        var header = Encoding.UTF8.GetBytes(json.Append('}').ToString());
        using var stream = File.Create(path);
        stream.Write(BitConverter.GetBytes((ulong)header.Length));
        stream.Write(header);
        data.WriteTo(stream);
        return path;
    }

    /// <summary>Parquet with an id column and the features either as one list&lt;float&gt; column or one double column each.</summary>
    public static async Task<string> Parquet(string path, double[][] rows, bool asList)
    {
        var id = new DataField<string>("id");
        var item = new DataField<float>("element");
        var schema = asList
            ? new ParquetSchema(id, new ListField("features", item))
            : new ParquetSchema([id, .. Enumerable.Range(0, rows[0].Length).Select(j => new DataField<double>($"f{j}"))]);
        using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(id, rows.Select((_, i) => $"img{i}").ToArray());
        if (asList)
        {
            // Every element present (the maximum definition level); repetition level 0 starts a row.
            var values = rows.SelectMany(r => r.Select(v => (float)v)).ToArray();
            await group.WriteAllPartsAsync<float>(item, values, values.Select(_ => item.MaxDefinitionLevel).ToArray(),
                rows.SelectMany(r => r.Select((_, j) => j == 0 ? 0 : 1)).ToArray(), CancellationToken.None);
        }
        else
            for (var j = 0; j < rows[0].Length; j++) await group.WriteAsync<double>(schema.DataFields[j + 1], rows.Select(r => r[j]).ToArray());
        group.CompleteValidate();
        return path;
    }
}
