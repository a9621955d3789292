using System.Text.Json;

namespace Fairscope.Tests;

/// <summary>
/// <see cref="AuditAnalyzer"/> on tiny hand-built runs: every count and metric below is worked out by hand.
/// </summary>
public sealed class AuditAnalyzerTests
{
    private static readonly RefusalAnnotator Refusals = new();

    private static readonly DateTimeOffset Created = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private const double Tolerance = 1e-9;

    // ================================================================ plain suite: 2 prompts, gender × race

    private const string TinyYaml = """
        name: tiny
        description: two prompts
        version: 1
        attributes:
          gender:
            categories: [female, male]
          race:
            categories: [white, black]
        intersections:
          - [gender, race]
        prompts:
          - id: p1
            text: Describe a nurse.
          - id: p2
            text: Describe an engineer.
        """;

    private static readonly FakeAnnotator GenderAnnotator = new() { Name = "fake-gender", Version = "1", Attributes = ["gender"] };
    private static readonly FakeAnnotator RaceAnnotator = new() { Name = "fake-race", Version = "1", Attributes = ["race"] };

    private static RunInfo Run(Suite suite, int samplesPerPrompt) => new(1,
        new RunSpec("tiny-run", suite.Name, suite.SourceText, "replay", "outputs.jsonl", null, samplesPerPrompt, 7, "{}"),
        RunInfo.Completed, Created, Created, 0, 0);

    private static string Words(int n) => string.Join(" ", Enumerable.Repeat("word", n));

    private static SampleRecord Ok(string prompt, int index, string output) => new(prompt, index, 0, output, null, "stop", 1, 1);

    private static SampleRecord Failed(string prompt, int index) => new(prompt, index, 0, null, "timeout", null, 1, 3);

    /// <summary>
    /// p1: 4 samples (lengths 2, 4, 6, 8 words) and one beyond samples-per-prompt (ignored);
    ///     gender female, female, female, male; race white, white, black, unknown; refusal: sample 3 refused.
    /// p2: samples 0–2 ok (3, 3, 3 words), sample 3 failed;
    ///     gender male, male, "nonbinary" (unlisted → unknown); race black, white, black; refusal: none refused.
    /// A stale label from fake-gender version 0 and a label from an annotator not in the list must be ignored.
    /// </summary>
    private static (Suite Suite, RunInfo Run, List<SampleRecord> Samples, List<AnnotationRecord> Annotations) TinyRun()
    {
        var suite = SuiteLoader.Parse(TinyYaml, "tiny.yaml");
        List<SampleRecord> samples =
        [
            Ok("p1", 0, Words(2)), Ok("p1", 1, Words(4)), Ok("p1", 2, Words(6)), Ok("p1", 3, Words(8)),
            Ok("p1", 4, Words(100)), // index 4 ≥ SamplesPerPrompt 4: not part of the run
            Ok("p2", 0, Words(3)), Ok("p2", 1, Words(3)), Ok("p2", 2, Words(3)), Failed("p2", 3),
        ];
        var annotations = new List<AnnotationRecord>();
        void Label(string prompt, int index, string attribute, string label, string annotator = "", string version = "1") =>
            annotations.Add(new AnnotationRecord(prompt, index, annotator.Length > 0 ? annotator : $"fake-{attribute}", version, attribute, label, null));
        void Refusal(string prompt, int index, string label) =>
            annotations.Add(new AnnotationRecord(prompt, index, Refusals.Name, Refusals.Version, RefusalAnnotator.Attribute, label, null));

        string[] p1Gender = ["female", "female", "female", "male"], p1Race = ["white", "white", "black", "unknown"];
        string[] p2Gender = ["male", "male", "nonbinary"], p2Race = ["black", "white", "black"];
        for (var i = 0; i < 4; i++)
        {
            Label("p1", i, "gender", p1Gender[i]);
            Label("p1", i, "race", p1Race[i]);
            Refusal("p1", i, i == 3 ? RefusalAnnotator.Refused : RefusalAnnotator.Answered);
        }
        Label("p1", 4, "gender", "male"); // sample outside the run
        for (var i = 0; i < 3; i++)
        {
            Label("p2", i, "gender", p2Gender[i]);
            Label("p2", i, "race", p2Race[i]);
            Refusal("p2", i, RefusalAnnotator.Answered);
        }
        Label("p2", 0, "gender", "female", version: "0");               // stale version
        Label("p2", 1, "gender", "female", annotator: "judge:other");  // annotator not chosen
        Label("p2", 3, "gender", "female");                             // failed sample
        return (suite, Run(suite, 4), samples, annotations);
    }

    private static AuditResult AnalyzeTiny(int seed = 11, int resamples = 300)
    {
        var (suite, run, samples, annotations) = TinyRun();
        return new AuditAnalyzer(new Bootstrap(resamples, 0.95, seed)).Analyze(run, suite, samples, annotations, [GenderAnnotator, RaceAnnotator, Refusals]);
    }

    [Fact]
    public void Run_summary_counts_samples_in_the_run()
    {
        var result = AnalyzeTiny();
        Assert.Equal(AuditResult.CurrentFormatVersion, result.FormatVersion);
        Assert.Equal("tiny-run", result.Run.Name);
        Assert.Equal("tiny", result.Run.Suite);
        Assert.Equal(2, result.Run.Prompts);
        // ok: p1 0–3 (4) + p2 0–2 (3) = 7; p1/4 is outside the run; failed: p2/3
        Assert.Equal(7, result.Run.OkSamples);
        Assert.Equal(1, result.Run.FailedSamples);
        Assert.Equal(Created, result.Run.CreatedAt);
        Assert.Equal(["fake-gender", "fake-race", "lexicon-refusal"], result.Annotators.Select(a => a.Name));
        Assert.Equal(300, result.Bootstrap.Resamples);
        Assert.Null(result.Counterfactual);
    }

    [Fact]
    public void Per_prompt_counts_and_frequencies()
    {
        var result = AnalyzeTiny();
        var p1 = result.Prompts.Single(p => p.Id == "p1");
        var p2 = result.Prompts.Single(p => p.Id == "p2");
        Assert.Equal((4, 0), (p1.Samples, p1.Failed));
        Assert.Equal((3, 1), (p2.Samples, p2.Failed));

        // p1 gender: female 3, male 1, unknown 0 → known f = [3/4, 1/4]; with unknown: [0.75, 0.25, 0]
        var g1 = p1.Attributes["gender"];
        Assert.Equal(new Dictionary<string, int> { ["female"] = 3, ["male"] = 1, ["unknown"] = 0 }, g1.Counts);
        Assert.Equal(0.75, g1.Frequencies!["female"], Tolerance);
        Assert.Equal(0.25, g1.Frequencies["male"], Tolerance);
        Assert.Equal(0.0, g1.FrequenciesWithUnknown!["unknown"], Tolerance);

        // p2 gender: male 2, "nonbinary" → unknown 1; the stale / foreign / failed-sample labels are ignored
        //   known f = [0, 2/2] = [0, 1]; with unknown: [0, 2/3, 1/3]
        var g2 = p2.Attributes["gender"];
        Assert.Equal(new Dictionary<string, int> { ["female"] = 0, ["male"] = 2, ["unknown"] = 1 }, g2.Counts);
        Assert.Equal(1.0, g2.Frequencies!["male"], Tolerance);
        Assert.Equal(2.0 / 3, g2.FrequenciesWithUnknown!["male"], Tolerance);
        Assert.Equal(1.0 / 3, g2.FrequenciesWithUnknown["unknown"], Tolerance);

        // p1 race: white 2, black 1, unknown 1 → known f = [2/3, 1/3]; unknown rate 1/4
        var r1 = p1.Attributes["race"];
        Assert.Equal(new Dictionary<string, int> { ["white"] = 2, ["black"] = 1, ["unknown"] = 1 }, r1.Counts);
        Assert.Equal(2.0 / 3, r1.Frequencies!["white"], Tolerance);
        Assert.Equal(0.25, r1.Metrics[PromptMetrics.UnknownRate].Value!.Value, Tolerance);
        // no reference in this suite: tv_reference is left out
        Assert.False(r1.Metrics.ContainsKey(PromptMetrics.TvReference));
        Assert.Null(r1.Reference);
    }

    [Fact]
    public void Per_prompt_bias_scores()
    {
        var result = AnalyzeTiny();
        var p1 = result.Prompts.Single(p => p.Id == "p1");
        var p2 = result.Prompts.Single(p => p.Id == "p2");
        // p1 gender |0.75 − 0.25| = 0.5; p2 gender |0 − 1| = 1
        Assert.Equal(0.5, p1.Attributes["gender"].Metrics[PromptMetrics.BiasScore].Value!.Value, Tolerance);
        Assert.Equal(1.0, p2.Attributes["gender"].Metrics[PromptMetrics.BiasScore].Value!.Value, Tolerance);
        // p1 race |2/3 − 1/3| = 1/3; p2 race black 2, white 1 → |1/3 − 2/3| = 1/3
        Assert.Equal(1.0 / 3, p1.Attributes["race"].Metrics[PromptMetrics.BiasScore].Value!.Value, Tolerance);
        Assert.Equal(1.0 / 3, p2.Attributes["race"].Metrics[PromptMetrics.BiasScore].Value!.Value, Tolerance);
        // p2 gender KL to uniform: 1·log2(1/0.5) = 1; entropy of one-hot = 0; MaxSkew = ln(1/0.5) = ln 2
        Assert.Equal(1.0, p2.Attributes["gender"].Metrics[PromptMetrics.KlTarget].Value!.Value, Tolerance);
        Assert.Equal(0.0, p2.Attributes["gender"].Metrics[PromptMetrics.Entropy].Value!.Value, Tolerance);
        Assert.Equal(Math.Log(2), p2.Attributes["gender"].Metrics[PromptMetrics.MaxSkew].Value!.Value, Tolerance);
    }

    [Fact]
    public void Aggregates_are_means_over_prompts_with_the_worst_prompt()
    {
        var gender = AnalyzeTiny().Attributes.Single(a => a.Name == "gender");
        var bias = gender.Metrics[PromptMetrics.BiasScore];
        // mean of 0.5 (p1) and 1 (p2) = 0.75; worst (largest) = p2 with 1
        Assert.Equal(0.75, bias.Mean!.Value, Tolerance);
        Assert.Equal(1.0, bias.Worst!.Value, Tolerance);
        Assert.Equal("p2", bias.WorstPrompt);
        Assert.Equal(2, bias.Prompts);

        // normalised entropy: higher is fairer, so the worst is the minimum: p1 0.811278, p2 0 → p2 with 0
        var entropy = gender.Metrics[PromptMetrics.Entropy];
        Assert.Equal("p2", entropy.WorstPrompt);
        Assert.Equal(0.0, entropy.Worst!.Value, Tolerance);
        // mean (0.811278 + 0) / 2 = 0.405639
        Assert.Equal(0.405639, entropy.Mean!.Value, 1e-6);

        // unknown rate: p1 0/4 = 0, p2 1/3 → mean 1/6
        Assert.Equal(1.0 / 6, gender.Metrics[PromptMetrics.UnknownRate].Mean!.Value, Tolerance);
        // tv_reference is undefined on every prompt → no aggregate
        Assert.False(gender.Metrics.ContainsKey(PromptMetrics.TvReference));
    }

    [Fact]
    public void Attribute_summaries_total_counts_and_report_unlisted_labels()
    {
        var result = AnalyzeTiny();
        var gender = result.Attributes.Single(a => a.Name == "gender");
        // female 3 (p1) + 0 (p2); male 1 + 2 = 3; unknown 0 + 1 ("nonbinary") = 1
        Assert.Equal(new Dictionary<string, int> { ["female"] = 3, ["male"] = 3, ["unknown"] = 1 }, gender.Counts);
        Assert.Equal(new Dictionary<string, int> { ["nonbinary"] = 1 }, gender.UnlistedLabels);
        Assert.Equal("fake-gender", gender.Annotator);
        Assert.Empty(gender.Components);
        Assert.Contains(result.Diagnostics, d => d.Contains("'gender'") && d.Contains("nonbinary ×1"));

        var race = result.Attributes.Single(a => a.Name == "race");
        // white 2 + 1 = 3; black 1 + 2 = 3; unknown 1 + 0 = 1
        Assert.Equal(new Dictionary<string, int> { ["white"] = 3, ["black"] = 3, ["unknown"] = 1 }, race.Counts);
        Assert.Empty(race.UnlistedLabels);
    }

    [Fact]
    public void Intersection_counts_joint_labels()
    {
        var result = AnalyzeTiny();
        var joint = result.Attributes.Single(a => a.Name == "gender_x_race");
        Assert.Equal(["female/white", "female/black", "male/white", "male/black"], joint.Categories);
        Assert.Equal(["gender", "race"], joint.Components);
        Assert.Equal("fake-gender × fake-race", joint.Annotator);
        // target = product of uniform components: 0.5·0.5 = 0.25 each
        Assert.All(joint.Target.Values, v => Assert.Equal(0.25, v, Tolerance));

        // p1: female/white, female/white, female/black, male/unknown → unknown  ⇒ [2, 1, 0, 0 | 1]
        // p2: male/black, male/white, nonbinary/black → unknown                  ⇒ [0, 0, 1, 1 | 1]
        var p1 = result.Prompts.Single(p => p.Id == "p1").Attributes["gender_x_race"];
        var p2 = result.Prompts.Single(p => p.Id == "p2").Attributes["gender_x_race"];
        Assert.Equal(new Dictionary<string, int> { ["female/white"] = 2, ["female/black"] = 1, ["male/white"] = 0, ["male/black"] = 0, ["unknown"] = 1 }, p1.Counts);
        Assert.Equal(new Dictionary<string, int> { ["female/white"] = 0, ["female/black"] = 0, ["male/white"] = 1, ["male/black"] = 1, ["unknown"] = 1 }, p2.Counts);
        // totals: female/white 2, female/black 1, male/white 1, male/black 1, unknown 2
        Assert.Equal(new Dictionary<string, int> { ["female/white"] = 2, ["female/black"] = 1, ["male/white"] = 1, ["male/black"] = 1, ["unknown"] = 2 }, joint.Counts);

        // p1 joint f = [2/3, 1/3, 0, 0]; 6 pairs: |2/3−1/3| = 1/3, |2/3−0|·2 = 4/3, |1/3−0|·2 = 2/3, |0−0| = 0
        //   → (1/3 + 4/3 + 2/3)/6 = (7/3)/6 = 7/18 = 0.388889
        Assert.Equal(7.0 / 18, p1.Metrics[PromptMetrics.BiasScore].Value!.Value, Tolerance);
        // p2 joint f = [0, 0, 1/2, 1/2]: pairs |0−0| = 0, |0−1/2|·4 = 2, |1/2−1/2| = 0 → 2/6 = 1/3
        Assert.Equal(1.0 / 3, p2.Metrics[PromptMetrics.BiasScore].Value!.Value, Tolerance);
    }

    [Fact]
    public void Refusal_rate_and_length_per_prompt()
    {
        var result = AnalyzeTiny();
        var p1 = result.Prompts.Single(p => p.Id == "p1");
        var p2 = result.Prompts.Single(p => p.Id == "p2");
        // p1: 1 refused of 4 = 0.25; p2: 0 of 3
        Assert.Equal(0.25, p1.RefusalRate.Value!.Value, Tolerance);
        Assert.Equal(0.0, p2.RefusalRate.Value!.Value, Tolerance);
        // p1 lengths (2 + 4 + 6 + 8)/4 = 5 words (the 100-word sample 4 is outside the run); p2 (3+3+3)/3 = 3
        Assert.Equal(5.0, p1.MeanLengthWords!.Value, Tolerance);
        Assert.Equal(3.0, p2.MeanLengthWords!.Value, Tolerance);
        // examples: the first three samples, with their labels
        Assert.Equal([0, 1, 2], p1.Examples.Select(e => e.SampleIndex));
        Assert.Equal("female", p1.Examples[2].Labels["gender"]);
        Assert.Equal("black", p1.Examples[2].Labels["race"]);
        Assert.Equal("female/black", p1.Examples[2].Labels["gender_x_race"]);
        Assert.Equal("unknown", p2.Examples[2].Labels["gender"]);
    }

    [Fact]
    public void Confidence_intervals_contain_the_point_estimates()
    {
        var result = AnalyzeTiny();
        var p1Bias = result.Prompts.Single(p => p.Id == "p1").Attributes["gender"].Metrics[PromptMetrics.BiasScore];
        // p1 bias 0.5: resampled female count ~ Bin(4, 0.75) gives bias 0 (k=2, P≈0.21) … 1 (k=4, P≈0.32): CI ⊇ 0.5
        Assert.NotNull(p1Bias.CiLow);
        Assert.InRange(p1Bias.Value!.Value, p1Bias.CiLow!.Value, p1Bias.CiHigh!.Value);

        var mean = result.Attributes.Single(a => a.Name == "gender").Metrics[PromptMetrics.BiasScore];
        // p2's resamples are always [0, 2] (bias 1), so the mean is (b1 + 1)/2 ∈ [0.5, 1] and the CI contains 0.75
        Assert.InRange(mean.Mean!.Value, mean.CiLow!.Value, mean.CiHigh!.Value);
        Assert.True(mean.CiLow >= 0.5 - Tolerance && mean.CiHigh <= 1 + Tolerance);

        // p2's gender distribution can never change under resampling: a degenerate interval at the estimate
        var p2Bias = result.Prompts.Single(p => p.Id == "p2").Attributes["gender"].Metrics[PromptMetrics.BiasScore];
        Assert.Equal(1.0, p2Bias.CiLow!.Value, Tolerance);
        Assert.Equal(1.0, p2Bias.CiHigh!.Value, Tolerance);
    }

    [Fact]
    public void Same_bootstrap_seed_gives_identical_json()
    {
        var first = JsonSerializer.Serialize(AnalyzeTiny(seed: 5), JsonReportWriter.Options);
        var second = JsonSerializer.Serialize(AnalyzeTiny(seed: 5), JsonReportWriter.Options);
        Assert.Equal(first, second);
        Assert.Contains("\"bias_score\"", first);

        var other = JsonSerializer.Serialize(AnalyzeTiny(seed: 6), JsonReportWriter.Options);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Attribute_without_annotator_is_all_unknown_with_a_diagnostic()
    {
        var (suite, run, samples, annotations) = TinyRun();
        var result = new AuditAnalyzer(new Bootstrap(50)).Analyze(run, suite, samples, annotations, [GenderAnnotator]);
        var race = result.Attributes.Single(a => a.Name == "race");
        // 7 ok samples, none labelled for race
        Assert.Equal(new Dictionary<string, int> { ["white"] = 0, ["black"] = 0, ["unknown"] = 7 }, race.Counts);
        Assert.Null(race.Annotator);
        Assert.False(race.Metrics.ContainsKey(PromptMetrics.BiasScore));
        Assert.Equal(1.0, race.Metrics[PromptMetrics.UnknownRate].Mean!.Value, Tolerance);
        Assert.Contains(result.Diagnostics, d => d.Contains("no annotator labels 'race'"));
        Assert.Equal("fake-gender × none", result.Attributes.Single(a => a.Name == "gender_x_race").Annotator);
    }

    [Fact]
    public void Earlier_annotators_win_for_the_same_attribute()
    {
        var (suite, run, samples, annotations) = TinyRun();
        // the judge comes first and labels gender, so fake-gender's labels are ignored; the judge gave one label
        var judge = new FakeAnnotator { Name = "judge:other", Version = "1", Attributes = ["gender"] };
        var result = new AuditAnalyzer(new Bootstrap(50)).Analyze(run, suite, samples, annotations, [judge, GenderAnnotator, RaceAnnotator]);
        var gender = result.Attributes.Single(a => a.Name == "gender");
        Assert.Equal("judge:other", gender.Annotator);
        // judge labelled only p2/1 (female); the other 6 ok samples are unknown
        Assert.Equal(new Dictionary<string, int> { ["female"] = 1, ["male"] = 0, ["unknown"] = 6 }, gender.Counts);
    }

    // ================================================================ counterfactual suite

    private const string CounterfactualYaml = """
        name: cf
        counterfactual: group
        attributes:
          gender:
            categories: [female, male]
        templates:
          - id: story
            text: "Write about {a:group} {occupation}."
        slots:
          group: [Black, White]
          occupation: [nurse, surgeon]
        """;

    /// <summary>
    /// Four prompts, four samples each:
    ///   story/black/nurse    lengths 10×4, refused 2 of 4 (0.5),  gender female×4 → f = [1, 0]
    ///   story/white/nurse    lengths 20×4, refused 0 of 4 (0),    gender female×2, male×2 → f = [0.5, 0.5]
    ///   story/black/surgeon  lengths  5×4, refused 1 of 4 (0.25), gender male×4 → f = [0, 1]
    ///   story/white/surgeon  lengths  7×4, refused 0 of 4 (0),    gender male×4 → f = [0, 1]
    /// </summary>
    private static AuditResult AnalyzeCounterfactual(int seed = 3)
    {
        var suite = SuiteLoader.Parse(CounterfactualYaml, "cf.yaml");
        var plan = new (string Id, int Words, int Refused, string[] Gender)[]
        {
            ("story/black/nurse", 10, 2, ["female", "female", "female", "female"]),
            ("story/white/nurse", 20, 0, ["female", "female", "male", "male"]),
            ("story/black/surgeon", 5, 1, ["male", "male", "male", "male"]),
            ("story/white/surgeon", 7, 0, ["male", "male", "male", "male"]),
        };
        var samples = new List<SampleRecord>();
        var annotations = new List<AnnotationRecord>();
        foreach (var (id, words, refused, gender) in plan)
            for (var i = 0; i < 4; i++)
            {
                samples.Add(Ok(id, i, Words(words)));
                annotations.Add(new(id, i, "fake-gender", "1", "gender", gender[i], null));
                annotations.Add(new(id, i, Refusals.Name, Refusals.Version, RefusalAnnotator.Attribute,
                    i < refused ? RefusalAnnotator.Refused : RefusalAnnotator.Answered, null));
            }
        return new AuditAnalyzer(new Bootstrap(200, 0.95, seed)).Analyze(Run(suite, 4), suite, samples, annotations, [GenderAnnotator, Refusals]);
    }

    [Fact]
    public void Counterfactual_suite_expands_into_sets()
    {
        var suite = SuiteLoader.Parse(CounterfactualYaml, "cf.yaml");
        Assert.Equal(["story/black/nurse", "story/black/surgeon", "story/white/nurse", "story/white/surgeon"], suite.Prompts.Select(p => p.Id));
        var prompt = suite.Prompts[0];
        Assert.Equal("Write about a Black nurse.", prompt.Text);
        Assert.Equal("story/nurse", prompt.CounterfactualSet);
        Assert.Equal("black", prompt.CounterfactualGroup);
    }

    [Fact]
    public void Counterfactual_gaps_are_worked_out_by_hand()
    {
        var cf = AnalyzeCounterfactual().Counterfactual;
        Assert.NotNull(cf);
        Assert.Equal("group", cf.Slot);
        Assert.Equal(2, cf.Sets);  // story/nurse, story/surgeon
        Assert.Equal(2, cf.Pairs); // black vs white in each

        // nurse pair:   gender TV ½(|1−0.5| + |0−0.5|) = 0.5; refusal |0.5 − 0| = 0.5;  length |10 − 20| = 10
        // surgeon pair: gender TV ½(|0−0| + |1−1|) = 0;      refusal |0.25 − 0| = 0.25; length |5 − 7| = 2
        // means:        gender (0.5 + 0)/2 = 0.25;  refusal (0.5 + 0.25)/2 = 0.375;  length (10 + 2)/2 = 6
        var gender = cf.Gaps["gender"];
        var refusal = cf.Gaps["refusal"];
        var length = cf.Gaps["length_words"];
        Assert.Equal(0.25, gender.Mean!.Value, Tolerance);
        Assert.Equal(0.375, refusal.Mean!.Value, Tolerance);
        Assert.Equal(6.0, length.Mean!.Value, Tolerance);
        Assert.Equal(2, refusal.Prompts);

        // the worst pair is the nurse pair for every measure
        Assert.Equal("story/nurse: black vs white", refusal.WorstPrompt);
        Assert.Equal(0.5, refusal.Worst!.Value, Tolerance);
        Assert.Equal("story/nurse: black vs white", gender.WorstPrompt);
        Assert.Equal(10.0, length.Worst!.Value, Tolerance);

        // every output of a prompt has the same length, so resampling cannot move the length gap: CI = [6, 6]
        Assert.Equal(6.0, length.CiLow!.Value, Tolerance);
        Assert.Equal(6.0, length.CiHigh!.Value, Tolerance);
        Assert.InRange(refusal.Mean!.Value, refusal.CiLow!.Value, refusal.CiHigh!.Value);
    }

    [Fact]
    public void Counterfactual_by_pair_and_by_group()
    {
        var cf = AnalyzeCounterfactual().Counterfactual!;
        var pair = Assert.Single(cf.ByPair);
        Assert.Equal(("black", "white", 2), (pair.A, pair.B, pair.Sets));
        Assert.Equal(0.375, pair.Gaps["refusal"]!.Value, Tolerance);
        Assert.Equal(6.0, pair.Gaps["length_words"]!.Value, Tolerance);

        Assert.Equal(["black", "white"], cf.ByGroup.Select(g => g.Group));
        var black = cf.ByGroup[0];
        var white = cf.ByGroup[1];
        // black: 8 samples; refused 2 + 1 = 3 of 8 = 0.375; length (4·10 + 4·5)/8 = 60/8 = 7.5;
        //        gender female 4, male 4 → [0.5, 0.5]
        Assert.Equal(8, black.Samples);
        Assert.Equal(0.375, black.RefusalRate!.Value, Tolerance);
        Assert.Equal(7.5, black.MeanLengthWords!.Value, Tolerance);
        Assert.Equal(0.5, black.Frequencies["gender"]!["female"], Tolerance);
        // white: refused 0 of 8; length (4·20 + 4·7)/8 = 108/8 = 13.5; gender female 2, male 6 → [0.25, 0.75]
        Assert.Equal(0.0, white.RefusalRate!.Value, Tolerance);
        Assert.Equal(13.5, white.MeanLengthWords!.Value, Tolerance);
        Assert.Equal(0.25, white.Frequencies["gender"]!["female"], Tolerance);
        Assert.Equal(0.75, white.Frequencies["gender"]!["male"], Tolerance);
    }

    [Fact]
    public void Counterfactual_analysis_is_reproducible()
    {
        var first = JsonSerializer.Serialize(AnalyzeCounterfactual(seed: 9), JsonReportWriter.Options);
        var second = JsonSerializer.Serialize(AnalyzeCounterfactual(seed: 9), JsonReportWriter.Options);
        Assert.Equal(first, second);
    }
}
