using System.Buffers.Binary;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Fairscope.Tests;

/// <summary><see cref="SafetensorsWriter"/>, <see cref="SafetensorsReader"/> and <see cref="SafetensorsHeader"/>:
/// exact round trips, F16/BF16 widening, metadata, and one clear error per kind of corrupt file.</summary>
public sealed class SafetensorsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Writes a file from a raw header string and raw data bytes, as another writer might.</summary>
    private string WriteRaw(string header, byte[] data, string name = "raw.safetensors")
    {
        var path = _folder.Sub(name);
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + headerBytes.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)headerBytes.Length);
        headerBytes.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + headerBytes.Length);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Halves(params ushort[] bits)
    {
        var data = new byte[2 * bits.Length];
        for (int i = 0; i < bits.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2 * i), bits[i]);
        return data;
    }

    // TensorAccessor.ToArray throws on an empty tensor, hence the guard.
    private static uint[] Bits(Tensor t) => t.numel() == 0 ? [] : t.data<float>().ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray();

    // ---------------------------------------------------------------- round trips

    [Fact]
    public void Written_tensors_read_back_bit_for_bit()
    {
        // Arrange: random values of several shapes, a scalar, an empty tensor and special values
        using var scope = NewDisposeScope();
        var generator = new torch.Generator(20240611);
        var tensors = new Dictionary<string, Tensor>
        {
            ["h.0.attn.weight"] = randn([3, 4, 5], generator: generator),
            ["h.0.attn.bias"] = randn([7], generator: generator),
            ["scale"] = tensor(0.125f),
            ["empty"] = zeros(0, 3),
            ["special"] = tensor(new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0.0f, float.Epsilon, float.MaxValue }),
            ["transposed"] = randn([4, 2], generator: generator).t(), // not contiguous
            ["double"] = tensor(new[] { 0.5, -1.25 }), // float64, stored as F32
        };
        var path = _folder.Sub("model.safetensors");

        // Act
        SafetensorsWriter.Write(path, tensors);
        using var reader = SafetensorsReader.Open(path);
        var loaded = reader.LoadAll();

        // Assert
        Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), loaded.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, original) in tensors)
        {
            var back = loaded[name];
            Assert.Equal(ScalarType.Float32, back.dtype);
            Assert.Equal(original.shape, back.shape);
            using var expected = original.to(ScalarType.Float32).contiguous();
            Assert.Equal(Bits(expected), Bits(back));
        }
        Assert.Equal(0, reader.Header.DataStart % 8); // the header is padded so data starts 8-aligned
        Assert.Empty(reader.Header.Metadata);
    }

    [Fact]
    public void Header_lists_names_dtypes_shapes_and_offsets_without_loading()
    {
        using var scope = NewDisposeScope();
        var path = _folder.Sub("h.safetensors");
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["b"] = zeros(2, 3), ["a"] = ones(5) });

        var header = SafetensorsHeader.Read(path);

        Assert.Equal(["a", "b"], header.Names);
        var a = header.Find("a")!;
        Assert.Equal((SafetensorsDType.F32, 0L, 20L, 5L), (a.DType, a.Begin, a.End, a.ElementCount));
        Assert.Equal([5L], a.Shape);
        var b = header.Find("b")!;
        Assert.Equal(SafetensorsDType.F32, b.DType);
        Assert.Equal([2L, 3L], b.Shape);
        Assert.Equal((20L, 44L), (b.Begin, b.End));
        Assert.Null(header.Find("c"));
        Assert.Equal(44, new FileInfo(path).Length - header.DataStart);
    }

    [Fact]
    public void Metadata_round_trips()
    {
        using var scope = NewDisposeScope();
        var path = _folder.Sub("m.safetensors");
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["config"] = "{\"n_layer\": 2}", ["note"] = "naïve \"quoted\"" };

        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["w"] = ones(2) }, metadata);

        Assert.Equal(metadata.OrderBy(m => m.Key), SafetensorsHeader.Read(path).Metadata.OrderBy(m => m.Key));
    }

    [Fact]
    public void Load_by_name_reads_only_that_tensor_and_names_a_missing_one()
    {
        using var scope = NewDisposeScope();
        var path = _folder.Sub("n.safetensors");
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["x"] = tensor(new[] { 1f, 2f }), ["y"] = tensor(new[] { 3f }) });
        using var reader = SafetensorsReader.Open(path);

        Assert.Equal([3f], reader.Load("y").data<float>().ToArray());
        var e = Assert.Throws<FairscopeException>(() => reader.Load("z"));
        Assert.Contains("no tensor named 'z'", e.Message);
        Assert.Contains(path, e.Message);
    }

    // ---------------------------------------------------------------- F16 and BF16

    [Fact]
    public void F16_is_widened_exactly()
    {
        // 1, -2, 1365/4096, 65504 (largest), 2^-24 (smallest subnormal), +inf, -0, 0.5
        var path = WriteRaw("""{"h":{"dtype":"F16","shape":[2,4],"data_offsets":[0,16]}}""",
            Halves(0x3C00, 0xC000, 0x3555, 0x7BFF, 0x0001, 0x7C00, 0x8000, 0x3800));
        using var scope = NewDisposeScope();
        using var reader = SafetensorsReader.Open(path);

        var h = reader.Load("h");

        Assert.Equal([2L, 4L], h.shape);
        Assert.Equal(ScalarType.Float32, h.dtype);
        float[] expected = [1f, -2f, 0.333251953125f, 65504f, MathF.Pow(2, -24), float.PositiveInfinity, -0.0f, 0.5f];
        Assert.Equal(expected.Select(BitConverter.SingleToUInt32Bits), Bits(h));
    }

    [Fact]
    public void BF16_is_widened_exactly()
    {
        // 1, -3, 3.140625, 0.15625, 2^-133 (smallest subnormal), -inf
        var path = WriteRaw("""{"b":{"dtype":"BF16","shape":[6],"data_offsets":[0,12]}}""",
            Halves(0x3F80, 0xC040, 0x4049, 0x3E20, 0x0001, 0xFF80));
        using var scope = NewDisposeScope();
        using var reader = SafetensorsReader.Open(path);

        var b = reader.Load("b");

        uint[] expected = [0x3F800000, 0xC0400000, 0x40490000, 0x3E200000, 0x00010000, 0xFF800000];
        Assert.Equal(expected, Bits(b));
        Assert.Equal([1f, -3f, 3.140625f, 0.15625f], b.data<float>().ToArray().Take(4));
    }

    [Fact]
    public void F64_is_narrowed_to_float32()
    {
        // Feature matrices may be float64; a tensor load rounds each value to the nearest float32.
        var path = WriteRaw("""{"d":{"dtype":"F64","shape":[3],"data_offsets":[0,24]}}""", [.. new[] { 1.0, -0.1, 1e300 }.SelectMany(BitConverter.GetBytes)]);
        using var scope = NewDisposeScope();
        using var reader = SafetensorsReader.Open(path);

        Assert.Equal([1f, -0.1f, float.PositiveInfinity], reader.Load("d").data<float>().ToArray());
    }

    [Fact]
    public void Mixed_dtypes_load_from_their_own_offsets()
    {
        var data = new byte[4 + 2 + 2];
        BinaryPrimitives.WriteSingleLittleEndian(data, 2.5f);
        Halves(0x3C00).CopyTo(data, 4);
        Halves(0x4000).CopyTo(data, 6);
        var path = WriteRaw("""{"__metadata__":{"format":"pt"},"f":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"h":{"dtype":"F16","shape":[1],"data_offsets":[4,6]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[6,8]}}""", data);
        using var scope = NewDisposeScope();
        using var reader = SafetensorsReader.Open(path);

        Assert.Equal(["f", "h", "b"], reader.Header.Names);
        Assert.Equal(2.5f, reader.Load("f").item<float>());
        Assert.Equal(1f, reader.Load("h").item<float>());
        Assert.Equal(2f, reader.Load("b").item<float>());
        Assert.Equal("pt", reader.Header.Metadata["format"]);
    }

    // ---------------------------------------------------------------- every dtype

    [Theory]
    [InlineData("F64", 8)]
    [InlineData("F32", 4)]
    [InlineData("F16", 2)]
    [InlineData("BF16", 2)]
    [InlineData("I64", 8)]
    [InlineData("I32", 4)]
    [InlineData("I16", 2)]
    [InlineData("I8", 1)]
    [InlineData("U8", 1)]
    [InlineData("BOOL", 1)]
    [InlineData("U16", 2)]
    [InlineData("U32", 4)]
    [InlineData("U64", 8)]
    [InlineData("F8_E4M3", 1)]
    [InlineData("F8_E5M2", 1)]
    public void Every_standard_dtype_parses_with_its_element_size(string dtype, int size)
    {
        var path = WriteRaw($$$"""{"t":{"dtype":"{{{dtype}}}","shape":[2,3],"data_offsets":[0,{{{6 * size}}}]}}""", new byte[6 * size]);

        var entry = SafetensorsHeader.Read(path).Find("t")!;

        Assert.Equal(dtype, entry.DType.ToString());
        Assert.Equal(size, SafetensorsEntry.ElementSize(entry.DType));
        Assert.Equal(dtype is "F64" or "F32" or "F16" or "BF16", SafetensorsEntry.IsFloat(entry.DType));
    }

    [Fact]
    public void Integer_tensor_is_not_loaded_as_float_but_copies_byte_for_byte()
    {
        // CLIP's position_ids: int64 0..3, beside an F16 tensor.
        var data = new byte[32 + 4];
        for (int i = 0; i < 4; i++) BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(8 * i), i);
        Halves(0x3C00, 0xC000).CopyTo(data, 32);
        var path = WriteRaw("""{"position_ids":{"dtype":"I64","shape":[1,4],"data_offsets":[0,32]},"h":{"dtype":"F16","shape":[2],"data_offsets":[32,36]}}""", data);
        using var scope = NewDisposeScope();
        using var reader = SafetensorsReader.Open(path);

        var e = Assert.Throws<FairscopeException>(() => reader.Load("position_ids"));
        var copy = new MemoryStream();
        reader.CopyRaw(reader.Header.Find("position_ids")!, copy);
        reader.CopyRaw(reader.Header.Find("h")!, copy);

        Assert.Equal($"{path}: tensor 'position_ids' is I64, which does not load as a floating-point tensor; only F32, F16, BF16 and F64 tensors do", e.Message);
        Assert.Equal(data, copy.ToArray());
        Assert.Equal([1f, -2f], reader.Load("h").data<float>().ToArray()); // the float tensor beside it still loads
    }

    [Fact]
    public void Float64_load_widens_exactly()
    {
        // F32 0.1f, F16 1365/4096, BF16 3.140625, F64 0.1: each exactly representable in float64, F64 unnarrowed.
        var data = new byte[4 + 2 + 2 + 8];
        BinaryPrimitives.WriteSingleLittleEndian(data, 0.1f);
        Halves(0x3555, 0x4049).CopyTo(data, 4);
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8), 0.1);
        var path = WriteRaw("""{"f":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"h":{"dtype":"F16","shape":[1],"data_offsets":[4,6]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[6,8]},"d":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}""", data);
        using var scope = NewDisposeScope();
        using var reader = SafetensorsReader.Open(path);

        double[] loaded = [.. reader.Header.Tensors.Select(t => reader.Load(t, ScalarType.Float64).item<double>())];

        Assert.Equal([(double)0.1f, 0.333251953125, 3.140625, 0.1], loaded);
    }

    [Theory]
    // Values are exact decimals: 1 + 2⁻¹¹, 1 + 2⁻¹¹ + 2⁻⁴⁰, 1 + 3·2⁻¹¹, ...; 1 + 2⁻⁸ ± 2⁻³⁰, 1 + 3·2⁻⁸ for BF16.
    [InlineData("F16", 1.00048828125, 0x3C00)] // a tie: to even
    [InlineData("F16", 1.0004882812509094947017729282379150390625, 0x3C01)] // just above the tie (float32 would make it a tie)
    [InlineData("F16", 1.00146484375, 0x3C02)] // a tie: to even, upwards
    [InlineData("F16", -2.5, 0xC100)]
    [InlineData("F16", 65520.0, 0x7C00)] // beyond the largest half: infinity
    [InlineData("BF16", 1.00390625, 0x3F80)] // a tie: to even
    [InlineData("BF16", 1.003906250931322574615478515625, 0x3F81)] // just above the tie, below float32's precision
    [InlineData("BF16", 1.003906249068677425384521484375, 0x3F80)] // just below the tie, likewise
    [InlineData("BF16", 1.01171875, 0x3F82)] // a tie: to even, upwards
    [InlineData("BF16", -3.140625, 0xC049)]
    [InlineData("BF16", 1e39, 0x7F80)] // beyond float32: infinity
    [InlineData("BF16", double.NaN, 0x7FC0)]
    public void Write_rounds_once_to_nearest_even(string dtype, double value, int bits)
    {
        var bytes = new byte[2];

        SafetensorsEntry.Write(Enum.Parse<SafetensorsDType>(dtype), value, bytes);

        Assert.Equal((ushort)bits, BinaryPrimitives.ReadUInt16LittleEndian(bytes));
    }

    [Fact]
    public void Streamed_write_keeps_dtypes_and_order_and_checks_the_data_length()
    {
        var path = _folder.Sub("streamed.safetensors");
        (string, SafetensorsDType, IReadOnlyList<long>)[] layout = [("z", SafetensorsDType.I64, [2]), ("a", SafetensorsDType.BF16, [1])];
        byte[] data = [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x3F];

        SafetensorsWriter.Write(path, layout, new Dictionary<string, string> { ["k"] = "v" }, stream => stream.Write(data));
        var bad = Assert.Throws<InvalidOperationException>(() => SafetensorsWriter.Write(_folder.Sub("short.safetensors"), layout, null, stream => stream.Write(data, 0, 17)));

        var header = SafetensorsHeader.Read(path);
        Assert.Equal([("z", SafetensorsDType.I64, 0L, 16L), ("a", SafetensorsDType.BF16, 16L, 18L)], header.Tensors.Select(t => (t.Name, t.DType, t.Begin, t.End)));
        Assert.Equal("v", header.Metadata["k"]);
        Assert.Equal(data, File.ReadAllBytes(path)[(int)header.DataStart..]);
        Assert.Contains("17 bytes of tensor data written, but the layout needs 18", bad.Message);
        Assert.Equal([path], Directory.GetFiles(_folder.Path));
    }

    // ---------------------------------------------------------------- corrupt files

    [Theory]
    [InlineData("{not json", 0, "not valid JSON")]
    [InlineData("[1, 2]", 0, "not an object")]
    [InlineData("""{"w":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}""", 8, "dtype 'C64'; supported: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL, U16, U32, U64, F8_E4M3, F8_E5M2")]
    [InlineData("""{"w":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}}""", 4, "dtype 'f32'; supported:")]
    [InlineData("""{"w":{"dtype":"1","shape":[1],"data_offsets":[0,2]}}""", 2, "dtype '1'; supported:")]
    [InlineData("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 12, "beyond the 12-byte data section")]
    [InlineData("""{"w":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}}""", 8, "end before they begin")]
    [InlineData("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "F32 × shape [3] needs 12 bytes")]
    [InlineData("""{"w":{"dtype":"BF16","shape":[2,2],"data_offsets":[0,16]}}""", 16, "BF16 × shape [2, 2] needs 8 bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "'a' [0, 8) and 'b' [4, 12) overlap")]
    [InlineData("""{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4, "dimensions must be non-negative integers")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}""", 4, "expected [begin, end]")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1]}}""", 4, "needs a string \"dtype\"")]
    [InlineData("""{"__metadata__":{"n":1}}""", 0, "__metadata__ value 'n' is a JSON Number")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "'w' appears twice")]
    public void Invalid_header_is_one_clear_error(string header, int dataLength, string expected)
    {
        var path = WriteRaw(header, new byte[dataLength]);

        var e = Assert.Throws<FairscopeException>(() => SafetensorsReader.Open(path));

        Assert.StartsWith($"{path}: not a valid safetensors file: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Truncated_file_is_one_clear_error()
    {
        var path = _folder.Sub("short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3, 4]);

        var e = Assert.Throws<FairscopeException>(() => SafetensorsHeader.Read(path));

        Assert.Equal($"{path}: not a valid safetensors file: truncated: 4 bytes, but the file must start with an 8-byte header length", e.Message);
    }

    [Fact]
    public void File_cut_inside_its_data_is_one_clear_error()
    {
        using var scope = NewDisposeScope();
        var path = _folder.Sub("cut.safetensors");
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["w"] = ones(100) });
        using (var stream = new FileStream(path, FileMode.Open)) stream.SetLength(stream.Length - 1);

        var e = Assert.Throws<FairscopeException>(() => SafetensorsReader.Open(path));

        Assert.Contains($"{path}: not a valid safetensors file: tensor 'w' has data_offsets [0, 400] beyond the 399-byte data section; the file is truncated", e.Message);
    }

    [Fact]
    public void Header_length_beyond_the_file_is_one_clear_error()
    {
        var path = _folder.Sub("long.safetensors");
        var bytes = new byte[8 + 10];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1000);
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<FairscopeException>(() => SafetensorsReader.Open(path));

        Assert.Equal($"{path}: not a valid safetensors file: header length 1000 goes beyond the end of the file (10 bytes follow the length); the file is truncated or not safetensors", e.Message);
    }

    [Fact]
    public void Writer_rejects_integer_tensors_and_the_reserved_name()
    {
        using var scope = NewDisposeScope();
        var path = _folder.Sub("bad.safetensors");

        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["i"] = tensor(new[] { 1L }) }));
        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["__metadata__"] = ones(1) }));
        Assert.Empty(Directory.GetFiles(_folder.Path));
    }
}
