using System.Text.Json.Serialization;

namespace Fairscope;

/// <summary>
/// The shape of an <see cref="AttributeClassifier"/>: square images of <see cref="ImageSize"/> pixels with
/// <see cref="Channels"/> channels pass <see cref="Blocks"/> conv blocks whose widths start at <see cref="Width"/>
/// and double per block (16, 32, 64 by default), then one softmax head per attribute in <see cref="Heads"/>. A record
/// can be built with any values; <see cref="Validate"/> checks them, and the model calls it.
/// </summary>
public sealed record AttributeClassifierConfig(IReadOnlyList<AttributeHead> Heads, int ImageSize = 32, int Channels = 3, int Width = 16, int Blocks = 3)
{
    /// <summary>Channels of the last block, the pooled feature size each head reads.</summary>
    [JsonIgnore]
    public int FeatureWidth => Width << (Blocks - 1);

    /// <summary>Returns this config, or throws <see cref="FairscopeException"/> naming the first invalid value.</summary>
    public AttributeClassifierConfig Validate() =>
        Problem() is { } problem ? throw new FairscopeException($"invalid attribute classifier config: {problem}") : this;

    private string? Problem()
    {
        if (Heads is null || Heads.Count == 0) return "at least one head (attribute) is needed";
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var head in Heads)
        {
            if (head is null || string.IsNullOrWhiteSpace(head.Name)) return "every head needs a non-empty name";
            if (!names.Add(head.Name)) return $"head '{head.Name}' appears twice";
            if (head.Classes is null || head.Classes.Count < 2) return $"head '{head.Name}' needs at least two classes";
            if (head.Classes.Any(string.IsNullOrWhiteSpace)) return $"head '{head.Name}' has an empty class name";
            if (head.Classes.Distinct(StringComparer.Ordinal).Count() != head.Classes.Count) return $"head '{head.Name}' names a class twice";
        }
        if (Channels < 1) return $"channels must be at least 1, got {Channels}";
        if (Width < 1) return $"width must be at least 1, got {Width}";
        if (Blocks < 1 || Blocks > 6) return $"blocks must be in [1, 6], got {Blocks}";
        if (ImageSize < 1 || ImageSize % (1 << Blocks) != 0) return $"image size ({ImageSize}) must be a positive multiple of 2^blocks = {1 << Blocks}";
        return null;
    }
}
