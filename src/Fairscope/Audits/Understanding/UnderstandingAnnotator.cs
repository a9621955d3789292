using System.Text.Json;
using System.Text.RegularExpressions;

namespace Fairscope;

/// <summary>
/// Labels an understanding probe's answer (<see cref="UnderstandingProbe"/>) with the group it names or picks: in ask
/// mode the one category named in the answer (several, none, or "unknown" give unknown); in choose mode the label of
/// the image whose number the answer gives (no number, several numbers or one out of range give unknown). Only the
/// sample's own attribute is labelled; the others are unknown.
/// </summary>
public sealed partial class UnderstandingAnnotator(IReadOnlyList<DemographicAttribute> attributes) : IAnnotator
{
    /// <inheritdoc />
    public string Name => "understanding";

    /// <inheritdoc />
    public string Version => "1";

    /// <inheritdoc />
    public IReadOnlyList<string> Attributes { get; } = [.. attributes.Select(a => a.Name)];

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Annotation>> AnnotateAsync(AnnotationInput input, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(input.Output);
        var record = document.RootElement;
        var asked = record.GetProperty("attribute").GetString();
        var answer = record.GetProperty("answer").GetString() ?? "";
        IReadOnlyList<Annotation> labels = [.. attributes.Select(a => a.Name != asked
            ? new Annotation(a.Name, DemographicAttribute.Unknown, null)
            : new Annotation(a.Name, record.GetProperty("mode").GetString() == "ask" ? Named(a, answer) : Picked(record, answer), answer))];
        return ValueTask.FromResult(labels);
    }

    /// <summary>The one category the answer names as a word ("middle-aged" and "middle aged" name middle_aged).</summary>
    internal static string Named(DemographicAttribute attribute, string answer)
    {
        var words = " " + string.Join(' ', Words().Matches(answer.ToLowerInvariant()).Select(m => m.Value)) + " ";
        var named = attribute.Categories.Where(c => words.Contains($" {c.Replace('_', ' ')} ", StringComparison.Ordinal)).ToList();
        return named.Count == 1 ? named[0] : DemographicAttribute.Unknown;
    }

    private static string Picked(JsonElement record, string answer)
    {
        var shown = record.GetProperty("shown");
        var numbers = Numbers().Matches(answer).Select(m => int.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
        return numbers is [var k] && k >= 1 && k <= shown.GetArrayLength()
            ? shown[k - 1].GetProperty("label").GetString()!
            : DemographicAttribute.Unknown;
    }

    [GeneratedRegex(@"[a-z]+")] private static partial Regex Words();
    [GeneratedRegex(@"\b\d{1,3}\b")] private static partial Regex Numbers();
}
