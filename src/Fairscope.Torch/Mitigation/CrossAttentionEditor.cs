using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using static TorchSharp.torch;

namespace Fairscope;

/// <summary>
/// Applies a <see cref="CrossAttentionEditSpec"/> (MIST's edit, <see cref="ClosedFormEdit"/>) to every cross-attention
/// key and value projection of a safetensors diffusion checkpoint, streaming: the output has the same tensor names,
/// dtypes, shapes and data order; every other tensor is copied byte for byte through a fixed buffer, and each edited
/// weight is loaded alone, edited in float64 and rounded back to its own dtype. Memory is bounded by the largest edited
/// tensor, never the checkpoint. The input's metadata is kept and <see cref="MetadataKey"/> records the edit.
/// </summary>
public static class CrossAttentionEditor
{
    /// <summary>The metadata key holding the edit's parameters as compact JSON (replacing any earlier record).</summary>
    public const string MetadataKey = "fairscope.edit";

    private const int ChunkElements = 1 << 16;

    /// <summary>Edits the checkpoint at <paramref name="input"/> into <paramref name="output"/> (written beside it
    /// and moved into place; the input is never modified), or with <paramref name="dryRun"/> computes the same report
    /// and writes nothing. <paramref name="progress"/> hears after each layer. Throws <see cref="FairscopeException"/>
    /// for an unreadable, truncated or non-U-Net checkpoint, output equal to input, embeddings of the wrong width, an
    /// edited weight that is not floating point, or a singular system; no output file is left behind.</summary>
    public static CrossAttentionEditResult Edit(string input, string output, CrossAttentionEditSpec spec, bool dryRun = false,
        IProgress<CrossAttentionEditProgress>? progress = null)
    {
        if (!dryRun && string.Equals(Path.GetFullPath(input), Path.GetFullPath(output), StringComparison.Ordinal))
            throw new FairscopeException($"{output}: the edited checkpoint must go to a new file, not over its input");
        using var reader = SafetensorsReader.Open(input);
        var layers = CrossAttentionLayers.Find(reader.Header, input);
        using var edit = new ClosedFormEdit(spec);
        if (edit.TextWidth != layers.TextWidth)
            throw new FairscopeException($"{input}: text encoder width {edit.TextWidth} but the U-Net's cross-attention expects {layers.TextWidth}: use the checkpoint's own text encoder");
        var slots = new Dictionary<string, (int Layer, bool IsKey)>(StringComparer.Ordinal);
        for (int i = 0; i < layers.Layers.Count; i++)
        {
            foreach (var (entry, isKey) in new[] { (layers.Layers[i].Key, true), (layers.Layers[i].Value, false) })
            {
                if (!SafetensorsEntry.IsFloat(entry.DType))
                    throw new FairscopeException($"{input}: tensor '{entry.Name}' is {entry.DType}; only F32, F16, BF16 and F64 weights can be edited");
                slots.Add(entry.Name, (i, isKey));
            }
        }
        if (!dryRun && Path.GetDirectoryName(Path.GetFullPath(output)) is { } directory && !Directory.Exists(directory))
            throw new FairscopeException($"{output}: directory {directory} does not exist");

        var keys = new ProjectionChange?[layers.Layers.Count];
        var values = new ProjectionChange?[layers.Layers.Count];
        int done = 0;
        // Walks the tensors in data order, editing the projections and copying the rest when there is a destination.
        void Run(Stream? destination)
        {
            foreach (var entry in reader.Header.Tensors)
            {
                if (!slots.TryGetValue(entry.Name, out var slot))
                {
                    if (destination is not null) reader.CopyRaw(entry, destination);
                    continue;
                }
                var change = EditProjection(reader, entry, edit, destination);
                (slot.IsKey ? keys : values)[slot.Layer] = change;
                if (keys[slot.Layer] is { } key && values[slot.Layer] is { } value)
                    progress?.Report(new CrossAttentionEditProgress(++done, layers.Layers.Count, new(layers.Layers[slot.Layer].Prefix, key, value)));
            }
        }

        if (dryRun)
            Run(null);
        else
        {
            var metadata = reader.Header.Metadata.ToDictionary(StringComparer.Ordinal);
            metadata[MetadataKey] = Record(spec, layers, input);
            SafetensorsWriter.Write(output, [.. reader.Header.Tensors.Select(t => (t.Name, t.DType, t.Shape))], metadata, Run);
        }
        var changes = layers.Layers.Select((l, i) => new CrossAttentionLayerChange(l.Prefix, keys[i]!, values[i]!)).ToList();
        return new CrossAttentionEditResult(layers.Architecture, layers.TextWidth, changes, dryRun ? null : output);
    }

    // Loads one projection as float64, edits it, and writes it rounded to its own dtype when there is a destination.
    private static ProjectionChange EditProjection(SafetensorsReader reader, SafetensorsEntry entry, ClosedFormEdit edit, Stream? destination)
    {
        using var scope = NewDisposeScope();
        var weight = reader.Load(entry, ScalarType.Float64);
        var edited = edit.Edit(weight);
        double change = edited.sub(weight).norm().item<double>(), norm = weight.norm().item<double>();
        if (destination is not null) WriteAs(entry, MemoryMarshal.Cast<byte, double>(edited.bytes), destination, reader.Path);
        return new ProjectionChange(entry.Name, change, norm > 0 ? change / norm : 0);
    }

    // Rounds each value to the entry's dtype through a fixed buffer; a value beyond the dtype's range is an error.
    private static void WriteAs(SafetensorsEntry entry, ReadOnlySpan<double> values, Stream destination, string input)
    {
        int size = SafetensorsEntry.ElementSize(entry.DType);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkElements * size);
        try
        {
            for (int done = 0; done < values.Length;)
            {
                int count = Math.Min(ChunkElements, values.Length - done);
                for (int i = 0; i < count; i++)
                {
                    var bytes = buffer.AsSpan(size * i, size);
                    SafetensorsEntry.Write(entry.DType, values[done + i], bytes);
                    if (double.IsInfinity(SafetensorsEntry.Read(entry.DType, bytes)))
                        throw new FairscopeException($"{input}: the edited '{entry.Name}' has a value ({values[done + i]:g4}) beyond {entry.DType}'s range: use a larger --lambda or smaller class weights");
                }
                destination.Write(buffer, 0, count * size);
                done += count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // The compact JSON record of the edit stored under MetadataKey.
    private static string Record(CrossAttentionEditSpec spec, CrossAttentionLayers layers, string input)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("method", "UCE closed form with MIST targets (arXiv 2403.19738)");
            json.WriteNumber("lambda", spec.Lambda);
            json.WriteNumber("preserve_scale", spec.PreserveScale);
            WriteStrings(json, "concepts", spec.Concepts);
            WriteStrings(json, "classes", spec.Classes);
            json.WriteStartArray("weights");
            for (int i = 0; i < spec.Weights.GetLength(0); i++)
            {
                json.WriteStartArray();
                for (int j = 0; j < spec.Weights.GetLength(1); j++) json.WriteNumberValue(spec.Weights[i, j]);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            WriteStrings(json, "preserved", spec.Preserved);
            json.WriteNumber("layers", layers.Layers.Count);
            json.WriteString("architecture", layers.Architecture);
            json.WriteString("source", Path.GetFileName(input));
            json.WriteString("fairscope", FairscopeInfo.Version);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }
}
