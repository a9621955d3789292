using System.Globalization;

namespace Fairscope;

/// <summary>
/// The stereotype direction per context: the share of each group in that context, normalised to sum to 1 per context
/// and attribute. It comes from a reference table CSV with a header <c>context,group,share</c> (e.g.
/// <c>nurse,female,0.9</c>) or from an audit run (its folder or results.json): there the contexts are the prompts'
/// slot values (e.g. the occupation <c>nurse</c>) and the shares the labelled groups' counts per plain attribute,
/// summed over the prompts with that value. The anti-stereotype weight of a row that presents group g in context c is
/// ASD's loss weight with a uniform desired distribution (<see cref="AntiStereotypeDebiasing"/>):
/// <c>exp(−Skew) = (1/K) / p(g | c)</c>, K the groups listed for c (and g's attribute), p floored at
/// <see cref="MinShare"/>. Its mean over rows drawn from the reference is the share of listed groups at or above the
/// floor (1 when every group reaches it), so it is not normalised; it is above 1 for groups under the uniform share
/// and below 1 for over-represented ones. Unknown contexts and groups weigh 1.
/// </summary>
public sealed class StereotypeReference
{
    /// <summary>The smallest share used, so that a group absent from a context gets a large but finite weight.</summary>
    public const double MinShare = 0.01;

    // A reference table's groups have no attribute: they are listed under this one.
    private const string AnyAttribute = "*";

    // (context, attribute) → group → share.
    private readonly Dictionary<(string, string), Dictionary<string, double>> _shares;

    private StereotypeReference(Dictionary<(string, string), Dictionary<string, double>> shares) => _shares = shares;

    /// <summary>Reads a reference table CSV, an audit run folder or its results.json; errors name the file (and line).</summary>
    public static StereotypeReference Load(string path)
    {
        var results = Directory.Exists(path) ? Path.Combine(path, "results.json") : path;
        if (!File.Exists(results)) throw new FairscopeException($"stereotype reference {results} does not exist; give a CSV context,group,share or an audit run folder");
        var counts = new Dictionary<(string, string), Dictionary<string, double>>(new KeyComparer());
        void Add(string context, string attribute, string group, double n)
        {
            if (!counts.TryGetValue((context, attribute), out var groups)) counts[(context, attribute)] = groups = new(StringComparer.OrdinalIgnoreCase);
            groups[group] = groups.GetValueOrDefault(group) + n;
        }
        if (Path.GetExtension(results).Equals(".json", StringComparison.OrdinalIgnoreCase)) ReadAudit(results, Add);
        else ReadTable(results, Add);
        foreach (var ((context, _), groups) in counts)
        {
            var total = groups.Values.Sum();
            if (total <= 0) throw new FairscopeException($"{results}: the shares of context '{context}' sum to 0; give at least one a positive share");
            foreach (var group in groups.Keys.ToList()) groups[group] /= total;
        }
        return new StereotypeReference(counts);
    }

    private static void ReadTable(string path, Action<string, string, string, double> add)
    {
        using var reader = new StreamReader(path);
        var header = true;
        foreach (var (line, fields) in Csv.Read(reader, path))
        {
            if (header)
            {
                if (fields is not ["context", "group", "share"])
                    throw new FairscopeException($"{path}:{line}: the header must be context,group,share, not {string.Join(',', fields)}");
                header = false;
                continue;
            }
            if (fields is not [var context, var group, var text] || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var share)
                || share < 0 || !double.IsFinite(share))
                throw new FairscopeException($"{path}:{line}: expected context,group,share with a share ≥ 0, got {string.Join(',', fields)}");
            add(context, AnyAttribute, group, share);
        }
    }

    // Per prompt: every slot value is a context; the labelled counts of each plain attribute (not intersections, not unknown).
    private static void ReadAudit(string path, Action<string, string, string, double> add)
    {
        var result = JsonReportWriter.Read(path);
        var plain = result.Attributes.Where(a => a.Components.Count == 0).Select(a => a.Name).ToHashSet();
        foreach (var prompt in result.Prompts)
            foreach (var slot in prompt.Slots.Values)
                foreach (var (attribute, counts) in prompt.Attributes.Where(a => plain.Contains(a.Key)))
                    foreach (var (group, n) in counts.Counts.Where(c => c.Key != DemographicAttribute.Unknown))
                        add(slot, attribute, group, n);
    }

    /// <summary>The weight of a row in <paramref name="context"/> presenting <paramref name="groups"/> (concept → group):
    /// that of the first presented group the reference lists for the context (under the concept's attribute, or in a
    /// table), else 1.</summary>
    public double Weight(string? context, IReadOnlyDictionary<string, string> groups)
    {
        if (context is null) return 1;
        foreach (var (concept, group) in groups)
            foreach (var attribute in (ReadOnlySpan<string>)[concept, AnyAttribute])
                if (_shares.TryGetValue((context, attribute), out var shares) && shares.TryGetValue(group, out var share))
                    return 1.0 / shares.Count / Math.Max(share, MinShare);
        return 1;
    }

    private sealed class KeyComparer : IEqualityComparer<(string, string)>
    {
        public bool Equals((string, string) x, (string, string) y) =>
            StringComparer.OrdinalIgnoreCase.Equals(x.Item1, y.Item1) && StringComparer.Ordinal.Equals(x.Item2, y.Item2);

        public int GetHashCode((string, string) key) => HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(key.Item1), key.Item2);
    }
}
