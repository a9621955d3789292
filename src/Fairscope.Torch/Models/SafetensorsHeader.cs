using System.Buffers.Binary;
using System.Text.Json;

namespace Fairscope;

/// <summary>
/// The header of a safetensors file: an 8-byte little-endian length, then that many bytes of JSON mapping each tensor
/// name to <c>{"dtype", "shape", "data_offsets": [begin, end]}</c>, with an optional <c>"__metadata__"</c> map of
/// strings. Reading it checks every entry against the file's length, so loading data later cannot run off the end.
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>The reference implementation's limit; a larger length means a corrupt or foreign file.</summary>
    public const long MaxHeaderLength = 100_000_000;

    // Every dtype by the name the format gives it (the enum's names); case-sensitive, and numbers are not names.
    private static readonly Dictionary<string, SafetensorsDType> DTypes =
        Enum.GetValues<SafetensorsDType>().ToDictionary(d => d.ToString(), StringComparer.Ordinal);

    private readonly Dictionary<string, SafetensorsEntry> _byName;

    private SafetensorsHeader(List<SafetensorsEntry> tensors, Dictionary<string, string> metadata, long dataStart)
    {
        Tensors = tensors;
        Metadata = metadata;
        DataStart = dataStart;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The tensors in the order their data lies in the file.</summary>
    public IReadOnlyList<SafetensorsEntry> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>File offset of the data section: 8 plus the header length.</summary>
    public long DataStart { get; }

    /// <summary>Tensor names in data order.</summary>
    public IEnumerable<string> Names => Tensors.Select(t => t.Name);

    /// <summary>The entry named <paramref name="name"/>, or null.</summary>
    public SafetensorsEntry? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Reads and checks the header of the file at <paramref name="path"/> without reading tensor data.</summary>
    public static SafetensorsHeader Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        return Read(stream, path);
    }

    /// <summary>Reads and checks the header at the start of <paramref name="stream"/>, which must be seekable;
    /// <paramref name="file"/> names it in errors.</summary>
    public static SafetensorsHeader Read(Stream stream, string file)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw Invalid(file, $"truncated: {fileLength} bytes, but the file must start with an 8-byte header length");
        stream.Position = 0;
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(fileLength - 8))
            throw Invalid(file, $"header length {headerLength} goes beyond the end of the file ({fileLength - 8} bytes follow the length); the file is truncated or not safetensors");
        if (headerLength > MaxHeaderLength)
            throw Invalid(file, $"header length {headerLength} exceeds the {MaxHeaderLength}-byte limit");

        var json = new byte[headerLength];
        stream.ReadExactly(json);
        long dataStart = 8 + (long)headerLength;
        return Parse(json, file, dataStart, fileLength - dataStart);
    }

    private static SafetensorsHeader Parse(byte[] json, string file, long dataStart, long dataLength)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw Invalid(file, $"the header is not valid JSON ({e.Message})");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw Invalid(file, $"the header is a JSON {document.RootElement.ValueKind}, not an object");
            var tensors = new List<SafetensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Invalid(file, $"'{property.Name}' appears twice in the header");
                if (property.Name == "__metadata__")
                    ParseMetadata(property.Value, file, metadata);
                else
                    tensors.Add(ParseEntry(property.Name, property.Value, file, dataLength));
            }
            tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            for (int i = 1; i < tensors.Count; i++)
            {
                if (tensors[i].Begin < tensors[i - 1].End)
                    throw Invalid(file, $"tensors '{tensors[i - 1].Name}' [{tensors[i - 1].Begin}, {tensors[i - 1].End}) and '{tensors[i].Name}' [{tensors[i].Begin}, {tensors[i].End}) overlap");
            }
            return new SafetensorsHeader(tensors, metadata, dataStart);
        }
    }

    private static void ParseMetadata(JsonElement value, string file, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Invalid(file, "__metadata__ must be an object of strings");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Invalid(file, $"__metadata__ value '{item.Name}' is a JSON {item.Value.ValueKind}, not a string");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static SafetensorsEntry ParseEntry(string name, JsonElement value, string file, long dataLength)
    {
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array)
            throw Invalid(file, $"tensor '{name}' needs a string \"dtype\", an array \"shape\" and an array \"data_offsets\"");

        string dtypeName = dtypeElement.GetString()!;
        if (!DTypes.TryGetValue(dtypeName, out var dtype))
            throw Invalid(file, $"tensor '{name}' has dtype '{dtypeName}'; supported: {string.Join(", ", Enum.GetNames<SafetensorsDType>())}");

        var shape = new List<long>();
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long d) || d < 0)
                throw Invalid(file, $"tensor '{name}' has shape {shapeElement.GetRawText()}; dimensions must be non-negative integers");
            shape.Add(d);
        }
        var offsets = offsetsElement.EnumerateArray().ToList();
        if (offsets.Count != 2 || offsets.Any(o => o.ValueKind != JsonValueKind.Number || !o.TryGetInt64(out long x) || x < 0))
            throw Invalid(file, $"tensor '{name}' has data_offsets {offsetsElement.GetRawText()}; expected [begin, end] of non-negative integers");
        long begin = offsets[0].GetInt64(), end = offsets[1].GetInt64();
        if (end < begin)
            throw Invalid(file, $"tensor '{name}' has data_offsets [{begin}, {end}], which end before they begin");
        if (end > dataLength)
            throw Invalid(file, $"tensor '{name}' has data_offsets [{begin}, {end}] beyond the {dataLength}-byte data section; the file is truncated or corrupt");

        var entry = new SafetensorsEntry(name, dtype, shape, begin, end);
        long expected;
        try
        {
            expected = checked(entry.ElementCount * SafetensorsEntry.ElementSize(dtype));
        }
        catch (OverflowException)
        {
            throw Invalid(file, $"tensor '{name}' has shape {shapeElement.GetRawText()}, too large to address");
        }
        if (end - begin != expected)
            throw Invalid(file, $"tensor '{name}' has data_offsets [{begin}, {end}] ({end - begin} bytes), but {dtypeName} × shape [{string.Join(", ", shape)}] needs {expected} bytes");
        return entry;
    }

    internal static FairscopeException Invalid(string file, string what) => new($"{file}: not a valid safetensors file: {what}");
}
