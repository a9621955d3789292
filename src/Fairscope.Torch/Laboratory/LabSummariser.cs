namespace Fairscope;

/// <summary>Pools the measurements of one recipe's seeds into a <see cref="LabCondition"/>: audits are analysed as one run
/// whose samples are all seeds' samples (so intervals cover sampling noise of every seed), classification rows are all
/// seeds' predictions, probes and perplexity are averaged over seeds (each seed's value kept).</summary>
internal sealed class LabSummariser(LabData data, LabEvaluator evaluator, Bootstrap bootstrap)
{
    public LabCondition Summarise(string name, string method, double? ratio, IReadOnlyList<ModelMeasurement> seeds)
    {
        int n = data.Settings.SamplesPerPrompt;
        var samples = seeds.SelectMany((m, k) => m.Samples.Where(s => s.SampleIndex < n).Select(s => s with { SampleIndex = s.SampleIndex + k * n })).ToList();
        var annotations = seeds.SelectMany((m, k) => m.Annotations.Where(a => a.SampleIndex < n).Select(a => a with { SampleIndex = a.SampleIndex + k * n })).ToList();
        var suite = evaluator.Suite;
        var spec = new RunSpec(name, suite.Name, suite.SourceText, "builtin", name, null, n * seeds.Count, data.Settings.Seed, "{}");
        var now = DateTimeOffset.UtcNow;
        var run = new RunInfo(0, spec, RunInfo.Completed, now, now, samples.Count(s => s.Ok), samples.Count(s => !s.Ok));
        var audit = new AuditAnalyzer(bootstrap).Analyze(run, suite, samples, annotations, evaluator.Annotators);

        var tests = data.TestBiographies;
        var truth = seeds.SelectMany(_ => tests.Select(t => t.Person.Occupation.Id)).ToList();
        var predicted = seeds.SelectMany(m => m.Predictions).ToList();
        var classification = new[] { "gender", "race", "age" }.ToDictionary(a => a, a =>
            ClassifierFairness.Analyze(truth, predicted, seeds.SelectMany(_ => tests.Select(t => GroupOf(t.Person, a))).ToList(), bootstrap));

        return new LabCondition(name, method, ratio, seeds.Select(m => m.Seed).ToList(), seeds.Select(m => m.Run).ToList(),
            audit.Attributes.ToDictionary(a => a.Name, a => a.Metrics.GetValueOrDefault(PromptMetrics.BiasScore, Undefined)),
            audit.Attributes.ToDictionary(a => a.Name, a => a.Metrics.GetValueOrDefault(PromptMetrics.UnknownRate, Undefined)),
            Probes(seeds), classification, new FidelitySummary(seeds.Average(m => m.Perplexity), seeds.Select(m => m.Perplexity).ToList()));
    }

    // A metric no prompt defines (no continuation carried a cue for the attribute).
    private static readonly AggregateEstimate Undefined = new(null, null, null, null, null, null, 0);

    private static string GroupOf(Person person, string attribute) => attribute switch
    {
        "gender" => person.Gender,
        "race" => person.Race,
        _ => person.Age,
    };

    // p = P(she) / (P(she) + P(he)) = σ(ln P(she) − ln P(he)).
    private static ProbeSummary Probes(IReadOnlyList<ModelMeasurement> seeds)
    {
        var occupations = WorldOccupations.All;
        double Female(ModelMeasurement m, WorldOccupation o) => 1 / (1 + Math.Exp(m.Probes[o.Id].He - m.Probes[o.Id].She));
        var bySeed = seeds.Select(m => occupations.Average(o => Math.Abs(2 * Female(m, o) - 1))).ToList();
        var agreement = seeds.Average(m => occupations.Average(o => (2 * Female(m, o) - 1) * (o.Stereotype["gender"] == "female" ? 1 : -1)));
        return new ProbeSummary(bySeed.Average(), agreement, bySeed, occupations.ToDictionary(o => o.Id, o => seeds.Average(m => Female(m, o))));
    }
}
