namespace Fairscope;

/// <summary>
/// Locates bias in a unified multimodal model's language model (arXiv 2502.03429, "locate-then-fix"): for each concept,
/// the group prompt whose image-token distribution is nearest (Jensen–Shannon, base 2) to the neutral prompt's is
/// compared with the group that dominates the neutral prompt's images by perceived label. The paper reports hit rates of
/// 0.998 (gender) and 0.793 (race) for VILA-U. The metrics are plain functions; <see cref="Locate"/> does the grouping.
/// </summary>
public static class TokenLocator
{
    /// <summary>The group with the smallest divergence; exact ties go to the ordinally first group name.</summary>
    public static string Nearest(IReadOnlyDictionary<string, double> divergences) =>
        divergences.OrderBy(d => d.Value).ThenBy(d => d.Key, StringComparer.Ordinal).First().Key;

    /// <summary>The most frequent label among <paramref name="perceived"/> counts, leaving out empty and "unknown" labels,
    /// with its share of the labelled images and their number; the group is null (share null) on a tie or with none labelled.</summary>
    public static (string? Group, double? Share, int Labelled) Dominant(IReadOnlyDictionary<string, int> perceived)
    {
        var labelled = perceived.Where(p => !LocateLabels.IsUnlabelled(p.Key) && p.Value > 0).OrderByDescending(p => p.Value).ToList();
        var total = labelled.Sum(p => p.Value);
        if (labelled.Count == 0 || labelled.Count > 1 && labelled[1].Value == labelled[0].Value) return (null, null, total);
        return (labelled[0].Key, (double)labelled[0].Value / total, total);
    }

    /// <summary>Every concept × attribute location and the per-attribute summaries; intervals resample concepts with
    /// <paramref name="bootstrap"/>. Every attribute of a concept needs at least two groups.</summary>
    public static TokenLocateResult Locate(IReadOnlyList<TokenConcept> concepts, Bootstrap bootstrap)
    {
        var locations = new List<TokenLocation>();
        foreach (var concept in concepts)
            foreach (var attribute in concept.Groups.GroupBy(g => g.Attribute))
            {
                var groups = attribute.ToList();
                if (groups.Count < 2)
                    throw new FairscopeException($"concept '{concept.Concept}', attribute '{attribute.Key}': only group '{groups[0].Group}' has prompts; give at least two groups to compare");
                var divergences = groups.ToDictionary(g => g.Group, g => JensenShannon.Divergence(concept.Neutral, g.Distribution), StringComparer.Ordinal);
                var nearest = Nearest(divergences);
                var (dominant, share, labelled) = Dominant(concept.Perceived.GetValueOrDefault(attribute.Key) ?? new Dictionary<string, int>());
                bool? hit = dominant is null ? null : string.Equals(nearest, dominant, StringComparison.OrdinalIgnoreCase);
                locations.Add(new TokenLocation(concept.Concept, attribute.Key, divergences, nearest, dominant, share, labelled, hit));
            }
        var summaries = locations.GroupBy(l => l.Attribute).Select(a => Summarise(a.Key, [.. a], bootstrap)).ToList();
        return new TokenLocateResult(locations, summaries);
    }

    private static TokenLocateSummary Summarise(string attribute, IReadOnlyList<TokenLocation> locations, Bootstrap bootstrap)
    {
        // The hit rate: the share of hits among the concepts with a dominant group.
        var hits = locations.Where(l => l.Hit.HasValue).Select(l => l.Hit!.Value ? 1.0 : 0.0).ToArray();
        var shares = locations.Where(l => l.DominantShare.HasValue).Select(l => l.DominantShare!.Value).ToList();
        return new TokenLocateSummary(attribute, locations.Count, hits.Length, bootstrap.Mean(hits),
            shares.Count == 0 ? null : shares.Average());
    }
}
