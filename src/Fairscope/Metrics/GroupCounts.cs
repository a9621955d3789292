namespace Fairscope;

/// <summary>
/// How one prompt's samples fall into one attribute's categories: <c>Counts[k]</c> for declared category k and
/// a last slot for <see cref="DemographicAttribute.Unknown"/>. Labels outside the declared categories (an
/// annotator that knows more groups than the suite declares) are counted as unknown.
/// </summary>
public sealed class GroupCounts(DemographicAttribute attribute, int[] counts)
{
    /// <summary>The attribute counted.</summary>
    public DemographicAttribute Attribute { get; } = attribute;

    /// <summary>Per declared category, then unknown.</summary>
    public int[] Counts { get; } = counts;

    /// <summary>Counts <paramref name="labels"/> for <paramref name="attribute"/>.</summary>
    public static GroupCounts From(DemographicAttribute attribute, IEnumerable<string> labels)
    {
        var counts = new int[attribute.Categories.Count + 1];
        foreach (var label in labels)
        {
            var k = IndexOf(attribute, label);
            counts[k < 0 ? attribute.Categories.Count : k]++;
        }
        return new GroupCounts(attribute, counts);
    }

    private static int IndexOf(DemographicAttribute attribute, string label)
    {
        for (var k = 0; k < attribute.Categories.Count; k++) if (attribute.Categories[k] == label) return k;
        return -1;
    }

    /// <summary>Category → count, unknown included.</summary>
    public Dictionary<string, int> ToDictionary() =>
        Attribute.Categories.Append(DemographicAttribute.Unknown).Select((c, k) => (c, k)).ToDictionary(x => x.c, x => Counts[x.k]);

    /// <summary>Shares among samples with a declared category (unknown excluded); null when there are none.</summary>
    public static double[]? KnownFrequencies(ReadOnlySpan<int> counts)
    {
        var known = 0;
        for (var k = 0; k < counts.Length - 1; k++) known += counts[k];
        if (known == 0) return null;
        var f = new double[counts.Length - 1];
        for (var k = 0; k < f.Length; k++) f[k] = (double)counts[k] / known;
        return f;
    }

    /// <summary>Shares among all annotated samples, unknown included (last entry).</summary>
    public static double[]? AllFrequencies(ReadOnlySpan<int> counts)
    {
        var total = 0;
        foreach (var c in counts) total += c;
        if (total == 0) return null;
        var f = new double[counts.Length];
        for (var k = 0; k < f.Length; k++) f[k] = (double)counts[k] / total;
        return f;
    }
}
