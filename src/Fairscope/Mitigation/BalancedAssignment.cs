namespace Fairscope;

/// <summary>
/// The demographic spec of each sample for attribute-balanced prompting: one category per attribute, assigned so that
/// among the first n samples of a prompt every category k of every attribute appears ⌊n·t_k⌋ or ⌈n·t_k⌉ times (t_k its
/// target share), for every n, so a run extended with more samples stays balanced.
/// <para>Sample i takes, per attribute, among the categories still below their upper quota ⌈i·t_k⌉ after it (counting
/// sample i, 1-based), the one whose lower quota falls due first (the smallest n with ⌊n·t_k⌋ above its count so far:
/// ⌈(c_k + 1)/t_k⌉); this earliest-deadline rule under upper-quota eligibility is in the family of Balinski &amp; Young's
/// quota method (1975) and Tijdeman's chairman assignment (1980), and the tests check both quotas for random targets.
/// Ties go to the joint cell (category combination) furthest below its share Π t_k, so with uniform targets the joint
/// cells are balanced too (gender × race × age: all 24 once in every 24 samples).</para>
/// <para>A sample without an index (a caller other than Fairscope's sample generators) draws each attribute's category
/// from its seed with the target probabilities: right in expectation, not exact.</para>
/// </summary>
public sealed class BalancedAssignment
{
    private const double Tolerance = 1e-9;
    private readonly IReadOnlyList<DemographicAttribute> _attributes;
    private readonly List<int[]> _sequence = [];
    private readonly Dictionary<string, int> _jointCounts = [];
    private readonly int[][] _counts;

    /// <summary>Assigns categories of the plain (non-intersection) attributes of <paramref name="attributes"/>.</summary>
    public BalancedAssignment(IEnumerable<DemographicAttribute> attributes)
    {
        _attributes = attributes.Where(a => !a.IsIntersection).ToList();
        if (_attributes.Count == 0) throw new FairscopeException("balanced prompting needs a suite with at least one demographic attribute");
        _counts = [.. _attributes.Select(a => new int[a.Categories.Count])];
    }

    /// <summary>The attributes assigned, in order.</summary>
    public IReadOnlyList<DemographicAttribute> Attributes => _attributes;

    /// <summary>Categories of the sample with <paramref name="sampleIndex"/> when known (<see cref="ForIndex"/>), else drawn
    /// from <paramref name="seed"/> (<see cref="ForSeed"/>); throws <see cref="ArgumentException"/> with neither.</summary>
    public IReadOnlyList<string> For(int? sampleIndex, long? seed) =>
        sampleIndex is { } i ? ForIndex(i)
        : seed is { } s ? ForSeed(s)
        : throw new ArgumentException("balanced prompting needs the sample's index or seed");

    /// <summary>Categories (one per attribute, in order) of the prompt's sample <paramref name="sampleIndex"/> (0-based).</summary>
    public IReadOnlyList<string> ForIndex(int sampleIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sampleIndex);
        lock (_sequence)
        {
            while (_sequence.Count <= sampleIndex) _sequence.Add(Next(_sequence.Count + 1));
            return Labels(_sequence[sampleIndex]);
        }
    }

    /// <summary>Categories drawn from <paramref name="seed"/> with each attribute's target probabilities.</summary>
    public IReadOnlyList<string> ForSeed(long seed)
    {
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        return Labels([.. _attributes.Select(a =>
        {
            var u = random.NextDouble();
            var k = 0;
            for (var cumulative = a.Target[a.Categories[0]]; k < a.Categories.Count - 1 && u >= cumulative; cumulative += a.Target[a.Categories[++k]]) { }
            return k;
        })]);
    }

    // The categories of the n-th sample (1-based), given the counts of the first n − 1.
    private int[] Next(int n)
    {
        var candidates = _attributes.Select((a, j) =>
        {
            var eligible = Enumerable.Range(0, a.Categories.Count)
                .Where(k => _counts[j][k] + 1 <= Math.Ceiling(n * Share(a, k) - Tolerance)).ToList();
            var due = eligible.Min(k => Deadline(Share(a, k), _counts[j][k]));
            return eligible.Where(k => Deadline(Share(a, k), _counts[j][k]) == due).ToArray();
        }).ToList();
        IEnumerable<int[]> cells = [[]];
        foreach (var options in candidates) cells = cells.SelectMany(c => options.Select(k => (int[])[.. c, k])).ToList();
        var chosen = cells.MaxBy(c => n * c.Select((k, j) => Share(_attributes[j], k)).Aggregate(1.0, (p, t) => p * t)
            - _jointCounts.GetValueOrDefault(Key(c)))!; // MaxBy keeps the first of equals: categories in declared order
        _jointCounts[Key(chosen)] = _jointCounts.GetValueOrDefault(Key(chosen)) + 1;
        for (var j = 0; j < chosen.Length; j++) _counts[j][chosen[j]]++;
        return chosen;
    }

    private static double Share(DemographicAttribute a, int k) => a.Target[a.Categories[k]];

    private static double Deadline(double share, int count) => share <= 0 ? double.PositiveInfinity : Math.Ceiling((count + 1) / share - Tolerance);

    private static string Key(int[] cell) => string.Join(',', cell);

    private string[] Labels(int[] cell) => [.. cell.Select((k, j) => _attributes[j].Categories[k])];
}
