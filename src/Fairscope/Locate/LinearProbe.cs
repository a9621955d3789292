namespace Fairscope;

/// <summary>
/// The vision-tokenizer half of the U-MLLM locate analysis (arXiv 2502.03429): a linear probe (<see cref="LogisticRegression"/>)
/// from image features to each demographic attribute, scored on a seeded, stratified held-out split. The paper's probe on
/// VILA-U's tokenizer reaches 0.966 for gender and 0.823 for race: the tokenizer encodes demographics.
/// </summary>
public static class LinearProbe
{
    /// <summary>Share of <paramref name="predicted"/> equal to <paramref name="actual"/>; NaN for none.</summary>
    public static double Accuracy(IReadOnlyList<int> actual, IReadOnlyList<int> predicted) =>
        actual.Count == 0 ? double.NaN : (double)actual.Where((a, i) => a == predicted[i]).Count() / actual.Count;

    /// <summary>Probes every attribute of <paramref name="labels"/> (attribute → one label per feature row; empty and
    /// "unknown" labels leave the row out of that attribute). Each class keeps round(n_c · held-out) of its rows for testing,
    /// at most n_c − 1. Same options, same result.</summary>
    public static IReadOnlyList<ProbeResult> Evaluate(IReadOnlyList<double[]> features, IReadOnlyDictionary<string, IReadOnlyList<string?>> labels, ProbeOptions options)
    {
        options.Validate();
        if (features.Count == 0) throw new FairscopeException("the feature matrix has no rows");
        for (var i = 1; i < features.Count; i++)
            if (features[i].Length != features[0].Length)
                throw new FairscopeException($"feature row {i + 1} has {features[i].Length} features, row 1 has {features[0].Length}; every row needs the same number");
        var results = new List<ProbeResult>();
        foreach (var (attribute, column) in labels)
        {
            if (column.Count != features.Count)
                throw new FairscopeException($"attribute '{attribute}' has {column.Count} labels for {features.Count} feature rows; give one label per row, in the same order");
            results.Add(Probe(attribute, features, column, options));
        }
        return results;
    }

    private static ProbeResult Probe(string attribute, IReadOnlyList<double[]> features, IReadOnlyList<string?> column, ProbeOptions options)
    {
        var rows = Enumerable.Range(0, column.Count).Where(i => !LocateLabels.IsUnlabelled(column[i])).ToList();
        var classes = rows.Select(i => column[i]!.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (classes.Count < 2)
            throw new FairscopeException($"attribute '{attribute}' has {(classes.Count == 0 ? "no labelled rows" : $"only class '{classes[0]}' among its labelled rows")}; a probe needs at least two classes");
        var label = rows.ToDictionary(i => i, i => classes.IndexOf(column[i]!.Trim()));

        var (train, test) = Split(rows, label, classes.Count, options);
        if (test.Count == 0)
            throw new FairscopeException($"attribute '{attribute}': {rows.Count} labelled rows leave none to hold out at --held-out {options.HeldOut}; label more rows or raise --held-out");
        var model = LogisticRegression.Fit([.. train.Select(i => features[i])], [.. train.Select(i => label[i])], classes.Count, options.L2, options.MaxIterations);
        var actual = test.Select(i => label[i]).ToList();
        var predicted = test.Select(i => model.Predict(features[i])).ToList();
        var correct = actual.Select((a, i) => a == predicted[i] ? 1.0 : 0.0).ToArray();

        var trainCounts = Enumerable.Range(0, classes.Count).Select(k => train.Count(i => label[i] == k)).ToList();
        var majority = trainCounts.IndexOf(trainCounts.Max());
        return new ProbeResult(attribute, train.Count, test.Count, classes, new Bootstrap(Seed: options.Seed).Mean(correct),
            classes[majority], (double)actual.Count(a => a == majority) / actual.Count,
            classes.Select((c, k) => (c, k)).ToDictionary(p => p.c, p => actual.Count(a => a == p.k), StringComparer.Ordinal));
    }

    // Stratified: each class's rows are shuffled with the seed, and its first round(n_c · held-out) go to the test set.
    private static (List<int> Train, List<int> Test) Split(List<int> rows, Dictionary<int, int> label, int classes, ProbeOptions options)
    {
        var random = new Random(options.Seed);
        List<int> train = [], test = [];
        for (var k = 0; k < classes; k++)
        {
            var members = rows.Where(i => label[i] == k).ToArray();
            random.Shuffle(members);
            var held = Math.Min(members.Length - 1, (int)Math.Round(members.Length * options.HeldOut, MidpointRounding.AwayFromZero));
            test.AddRange(members[..held]);
            train.AddRange(members[held..]);
        }
        train.Sort();
        test.Sort();
        return (train, test);
    }
}
