using System.Globalization;

namespace Fairscope;

/// <summary>
/// The stereotype direction per context, from a reference table CSV with a header <c>context,group,share</c> (e.g.
/// <c>nurse,female,0.9</c>): the share of each group in that context, normalised to sum to 1 per context. The
/// anti-stereotype weight of a row that presents group g in context c is ASD's loss weight with a uniform desired
/// distribution (<see cref="AntiStereotypeDebiasing"/>): <c>exp(−Skew) = (1/K) / p(g | c)</c>, K the groups listed
/// for c, p floored at <see cref="MinShare"/>. A weight's mean over rows drawn from the reference is 1; it is above 1
/// for anti-stereotypical rows and below 1 for stereotypical ones. Unknown contexts and groups weigh 1.
/// </summary>
public sealed class StereotypeReference
{
    /// <summary>The smallest share used, so that a group absent from a context gets a large but finite weight.</summary>
    public const double MinShare = 0.01;

    private readonly Dictionary<string, Dictionary<string, double>> _shares;

    private StereotypeReference(Dictionary<string, Dictionary<string, double>> shares) => _shares = shares;

    /// <summary>Reads the table; errors name the file and line.</summary>
    public static StereotypeReference Load(string path)
    {
        if (!File.Exists(path)) throw new FairscopeException($"reference table {path} does not exist");
        using var reader = new StreamReader(path);
        var shares = new Dictionary<string, Dictionary<string, double>>(StringComparer.OrdinalIgnoreCase);
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
            if (!shares.TryGetValue(context, out var groups)) shares[context] = groups = new(StringComparer.OrdinalIgnoreCase);
            groups[group] = share;
        }
        foreach (var (context, groups) in shares)
        {
            var total = groups.Values.Sum();
            if (total <= 0) throw new FairscopeException($"{path}: the shares of context '{context}' sum to 0; give at least one a positive share");
            foreach (var group in groups.Keys.ToList()) groups[group] /= total;
        }
        return new StereotypeReference(shares);
    }

    /// <summary>The weight of a row in <paramref name="context"/> presenting <paramref name="groups"/> (concept → group):
    /// that of the first presented group the table lists for the context, else 1.</summary>
    public double Weight(string? context, IReadOnlyDictionary<string, string> groups)
    {
        if (context is null || !_shares.TryGetValue(context, out var shares)) return 1;
        foreach (var group in groups.Values)
            if (shares.TryGetValue(group, out var share)) return 1.0 / shares.Count / Math.Max(share, MinShare);
        return 1;
    }
}
