using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;

namespace Fairscope;

/// <summary>
/// Reads a TF.js weights manifest (<c>*-weights_manifest.json</c>) and its binary shards into named float tensors, as
/// tfjs-core's <c>io.decodeWeights</c> does: the manifest is a list of groups <c>{paths, weights}</c>; a group's shards
/// are concatenated and its tensors lie back to back in <c>weights</c> order, with no padding. Values are
/// little-endian float32, int32 or bool, or quantised: uint8/uint16 as <c>q·scale + min</c> (int32 weights rounded
/// as JavaScript's Math.round does) or float16. Every error names the manifest or shard at fault.
/// </summary>
public sealed class TfjsWeights
{
    private readonly Dictionary<string, TfjsTensor> _tensors;

    private TfjsWeights(string manifest, Dictionary<string, TfjsTensor> tensors, string sha256) =>
        (Manifest, _tensors, Sha256) = (manifest, tensors, sha256);

    /// <summary>The manifest's full path.</summary>
    public string Manifest { get; }

    /// <summary>SHA-256 (hex) of the manifest and its shards, in reading order: identifies the weights in annotator versions.</summary>
    public string Sha256 { get; }

    /// <summary>Every tensor by its TF.js name, e.g. <c>MobilenetV1/Conv2d_0_pointwise/weights</c>.</summary>
    public IReadOnlyDictionary<string, TfjsTensor> Tensors => _tensors;

    /// <summary>Loads <paramref name="manifestPath"/> and the shards it lists (paths relative to its folder).</summary>
    public static TfjsWeights Load(string manifestPath)
    {
        var manifest = Path.GetFullPath(manifestPath);
        var manifestBytes = ReadFile(manifest, "the TF.js weights manifest is missing or unreadable");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(manifestBytes);
        var tensors = new Dictionary<string, TfjsTensor>();
        foreach (var group in Groups(manifest, manifestBytes))
        {
            var shards = group.Paths.Select(p => ReadFile(Path.Combine(Path.GetDirectoryName(manifest)!, p),
                $"a weight shard listed in {manifest} is missing or unreadable; restore the model folder (npm pack @vladmandic/face-api@1.7.15 and extract it)")).ToList();
            foreach (var shard in shards) hash.AppendData(shard);
            var data = shards.Count == 1 ? shards[0] : shards.SelectMany(s => s).ToArray();
            var needed = group.Weights.Sum(w => (long)w.ByteCount);
            if (needed != data.Length)
                throw new FairscopeException($"{manifest}: the shards {string.Join(", ", group.Paths)} hold {data.Length} bytes but the weights listed need {needed}; the manifest and shards do not belong together (restore both from the same package)");
            var offset = 0;
            foreach (var spec in group.Weights)
            {
                var values = spec.Decode(data.AsSpan(offset, spec.ByteCount));
                offset += spec.ByteCount;
                if (!tensors.TryAdd(spec.Name, new TfjsTensor(spec.Name, spec.Shape, values)))
                    throw new FairscopeException($"{manifest}: weight '{spec.Name}' is listed twice");
            }
        }
        return new TfjsWeights(manifest, tensors, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>The tensor called <paramref name="name"/>, which must have exactly <paramref name="shape"/>.</summary>
    public TfjsTensor Get(string name, params int[] shape)
    {
        if (!_tensors.TryGetValue(name, out var tensor))
            throw new FairscopeException($"{Manifest}: no weight called '{name}'; is this the right model's manifest?");
        if (!tensor.Shape.SequenceEqual(shape))
            throw new FairscopeException($"{Manifest}: weight '{name}' has shape {tensor.ShapeText}, expected [{string.Join(",", shape)}]; is this the right model's manifest?");
        return tensor;
    }

    private static byte[] ReadFile(string path, string problem)
    {
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FairscopeException($"{path}: {problem} ({e.Message})");
        }
    }

    private sealed record Group(IReadOnlyList<string> Paths, IReadOnlyList<WeightSpec> Weights);

    private static List<Group> Groups(string manifest, byte[] bytes)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(bytes); }
        catch (JsonException e) { throw new FairscopeException($"{manifest}: not a TF.js weights manifest (invalid JSON: {e.Message})"); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new FairscopeException($"{manifest}: not a TF.js weights manifest (expected a JSON array of {{paths, weights}} groups)");
            var groups = new List<Group>();
            foreach (var (group, g) in document.RootElement.EnumerateArray().Select((e, i) => (e, i)))
            {
                var where = $"{manifest}: group {g}";
                if (group.ValueKind != JsonValueKind.Object || !group.TryGetProperty("paths", out var paths) || paths.ValueKind != JsonValueKind.Array
                    || !group.TryGetProperty("weights", out var weights) || weights.ValueKind != JsonValueKind.Array)
                    throw new FairscopeException($"{where} needs a 'paths' list and a 'weights' list");
                groups.Add(new Group(
                    [.. paths.EnumerateArray().Select(p => p.ValueKind == JsonValueKind.String ? p.GetString()! : throw new FairscopeException($"{where}: 'paths' must list file names"))],
                    [.. weights.EnumerateArray().Select(w => WeightSpec.Parse(w, where))]));
            }
            return groups;
        }
    }

    /// <summary>One entry of a group's <c>weights</c>: name, shape, dtype and optional quantization.</summary>
    private sealed record WeightSpec(string Name, int[] Shape, string DType, string? Quantized, double Scale, double Min)
    {
        private int Count => Shape.Aggregate(1, (a, d) => checked(a * d));

        public int ByteCount => checked(Count * (Quantized ?? DType) switch { "uint8" or "bool" => 1, "uint16" or "float16" => 2, _ => 4 });

        public static WeightSpec Parse(JsonElement w, string where)
        {
            string Text(JsonElement e, string key) => e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()! : throw new FairscopeException($"{where}: every weight needs a text '{key}'");
            var name = Text(w, "name");
            if (!w.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
                || shape.EnumerateArray().Any(d => d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out var n) || n < 0))
                throw new FairscopeException($"{where}: weight '{name}' needs a 'shape' list of sizes");
            var dtype = Text(w, "dtype");
            string? quantized = null;
            double scale = 1, min = 0;
            if (w.TryGetProperty("quantization", out var q))
            {
                quantized = Text(q, "dtype");
                if (quantized is "uint8" or "uint16")
                {
                    if (!q.TryGetProperty("scale", out var s) || !s.TryGetDouble(out scale) || !q.TryGetProperty("min", out var m) || !m.TryGetDouble(out min))
                        throw new FairscopeException($"{where}: weight '{name}' is {quantized}-quantized but lacks a numeric 'scale' and 'min'");
                }
                else if (quantized != "float16" || dtype != "float32")
                    throw new FairscopeException($"{where}: weight '{name}' has quantization dtype '{quantized}' for {dtype}; supported: uint8 and uint16 (float32, int32), float16 (float32)");
            }
            if (dtype is not ("float32" or "int32" or "bool") || (quantized is not null && dtype == "bool"))
                throw new FairscopeException($"{where}: weight '{name}' has dtype '{dtype}'{(quantized is null ? "" : $" quantized as {quantized}")}; supported: float32, int32, bool");
            return new WeightSpec(name, [.. shape.EnumerateArray().Select(d => d.GetInt32())], dtype, quantized, scale, min);
        }

        public float[] Decode(ReadOnlySpan<byte> bytes)
        {
            var values = new float[Count];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = Quantized switch
                {
                    "uint8" => Dequantize(bytes[i]),
                    "uint16" => Dequantize(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..])),
                    "float16" => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * i)..]),
                    _ => DType switch
                    {
                        "float32" => BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]),
                        "int32" => BinaryPrimitives.ReadInt32LittleEndian(bytes[(4 * i)..]),
                        _ => bytes[i],
                    },
                };
            }
            return values;
        }

        // tfjs computes q·scale + min in doubles and stores a Float32Array, or Math.round() into an Int32Array.
        private float Dequantize(int q) => DType == "int32" ? (float)Math.Floor(q * Scale + Min + 0.5) : (float)(q * Scale + Min);
    }
}
