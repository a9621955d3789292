using System.Diagnostics;

namespace Fairscope;

/// <summary>
/// The bias-inheritance laboratory ("Understanding and Mitigating the Bias Inheritance in LLM-based Data Augmentation",
/// arXiv 2502.04419, on a synthetic world small enough for a CPU): a teacher trained on a skewed world writes augmented
/// data; students train on mixes of original and augmented data at each bias ratio, several seeds each; mitigations
/// train further students at one ratio; every model is audited, probed, asked to classify and scored for fidelity.
/// Models and data are cached (<see cref="ModelCache"/>), audits are runs in the output folder's run store
/// (an interrupted job resumes), and everything is deterministic for <see cref="LabSettings.Seed"/>.
/// </summary>
public sealed class BiasInheritanceLab(LabSettings settings, ModelCache cache, string outputFolder, LabProgress? progress = null)
{
    private const double FidelityBudget = 0.10; // "held-out perplexity rises by less than 10%"

    /// <summary>Runs the sweep (when <paramref name="sweep"/>) and <paramref name="mitigations"/>, and returns what they measured.</summary>
    public async Task<LabResult> RunAsync(string job, bool sweep, IReadOnlyList<LabMethod> mitigations, CancellationToken cancellationToken)
    {
        settings.Validate();
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(outputFolder);
        var seeds = Enumerable.Range(settings.Seed, settings.Seeds).ToArray();
        var ratios = sweep ? settings.Ratios : [];
        if (mitigations.Count > 0 && !ratios.Contains(settings.MitigationRatio)) ratios = [.. ratios, settings.MitigationRatio];
        var plan = ratios.SelectMany(r => seeds.Select(s => new Student(LabMethod.None, r, s)))
            .Concat(mitigations.SelectMany(m => seeds.Select(s => new Student(m, settings.MitigationRatio, s)))).ToList();

        using var data = LabData.Prepare(settings, cache, progress, cancellationToken);
        await using var store = SqliteRunStore.Open(Path.Combine(outputFolder, SqliteRunStore.FileName));
        var evaluator = new LabEvaluator(data, store, progress);
        foreach (var student in plan.Where(s => !cache.Contains(KeyOf(data, s), s.Name)))
            progress?.Plan(LabProgress.Train, StepsOf(student));
        progress?.Plan(LabProgress.Sample, evaluator.SamplesPerAudit * (plan.Count + 1));

        var teacher = await evaluator.MeasureAsync(data.Teacher, "teacher", data.TeacherKey, settings.Seed, cancellationToken);
        var measured = new Dictionary<Student, ModelMeasurement>();
        foreach (var student in plan)
        {
            using var model = Train(data, student, cancellationToken);
            measured[student] = await evaluator.MeasureAsync(model, student.Name, KeyOf(data, student), student.Seed, cancellationToken);
        }

        var summariser = new LabSummariser(data, evaluator, new Bootstrap(Seed: settings.Seed));
        LabCondition Condition(LabMethod method, double ratio) => summariser.Summarise(ConditionName(method, ratio), method.Name, ratio,
            seeds.Select(s => measured[new Student(method, ratio, s)]).ToList());
        var sweepConditions = sweep ? settings.Ratios.Select(r => Condition(LabMethod.None, r)).ToList() : [];
        var baseline = mitigations.Count > 0 ? Condition(LabMethod.None, settings.MitigationRatio) : null;
        var fair = sweepConditions.FirstOrDefault(c => c.Ratio == 0);
        var outcomes = mitigations.Select(m => Compare(m, baseline!, Condition(m, settings.MitigationRatio), fair)).ToList();
        return new LabResult(LabResult.CurrentFormatVersion, job, settings, summariser.Summarise("teacher", LabMethod.None.Name, null, [teacher]),
            sweepConditions, outcomes, Trend(sweepConditions), data.Augmented.Count, clock.Elapsed.TotalSeconds,
            typeof(BiasInheritanceLab).Assembly.GetName().Version?.ToString(3) ?? "0");
    }

    /// <summary>Names of the models <c>--model builtin:NAME</c> refers to: the teacher, and the unmitigated student at the
    /// mitigation ratio with the first seed.</summary>
    public static IReadOnlyList<string> BuiltinModels { get; } = ["teacher", "student"];

    /// <summary>The cached directory of built-in model <paramref name="name"/>, training it (and what it needs) first when
    /// it is not cached yet.</summary>
    public string ModelDirectory(string name, CancellationToken cancellationToken)
    {
        if (!BuiltinModels.Contains(name))
            throw new FairscopeException($"unknown built-in model '{name}'; use builtin:{string.Join(" or builtin:", BuiltinModels)}, or a model directory");
        using var data = LabData.Prepare(settings, cache, progress, cancellationToken);
        if (name == "teacher") return cache.ModelDirectory(data.TeacherKey, name);
        var student = new Student(LabMethod.None, settings.MitigationRatio, settings.Seed);
        if (!cache.Contains(KeyOf(data, student), student.Name)) progress?.Plan(LabProgress.Train, StepsOf(student));
        Train(data, student, cancellationToken).Dispose();
        return cache.ModelDirectory(KeyOf(data, student), student.Name);
    }

    /// <summary>One student: a mitigation (or none), a bias ratio and a seed.</summary>
    private sealed record Student(LabMethod Method, double Ratio, int Seed)
    {
        public string Name => $"{ConditionName(Method, Ratio)}-s{Seed}";
    }

    private static string ConditionName(LabMethod method, double ratio) =>
        (method == LabMethod.None ? "" : method.Name + "-") + "r" + ratio.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    private string KeyOf(LabData data, Student s) => LabSettings.Key("student", data.TeacherKey, settings.MixSize, settings.StudentSteps, s.Ratio, s.Seed,
        s.Method.Name, s.Method == LabMethod.Preference ? settings.PreferenceSteps : 0);

    private int StepsOf(Student s) => s.Method == LabMethod.Preference ? settings.PreferenceSteps : settings.StudentSteps;

    // A student trains from scratch on its mix; BPO continues the unmitigated student of the same ratio and seed.
    private LanguageModel Train(LabData data, Student student, CancellationToken cancellationToken) =>
        cache.GetOrTrain(KeyOf(data, student), student.Name, () =>
        {
            var mix = StudentData.Mix(data, student.Ratio, student.Seed);
            var tokenizer = data.Tokenizer;
            if (student.Method == LabMethod.Preference)
            {
                var baseline = student with { Method = LabMethod.None };
                Train(data, baseline, cancellationToken).Dispose(); // cached now
                var tuned = LanguageModel.Load(cache.ModelDirectory(KeyOf(data, baseline), baseline.Name));
                var preference = new BalancedPreferenceLoss(tuned.Model.Config, StudentData.PreferenceSets(tokenizer, data.Original, perOccupation: 8, settings.Model.ContextLength, student.Seed));
                LabTraining.Trainer(settings.PreferenceSteps, student.Seed, learningRate: 3e-4).Train(tuned.Model,
                    StudentData.Examples(tokenizer, LabMethod.None, mix, student.Seed).Examples, progress: LabTraining.StepProgress(progress),
                    cancellationToken: cancellationToken, auxiliary: preference);
                return tuned;
            }
            var (examples, resampler) = StudentData.Examples(tokenizer, student.Method, mix, student.Seed);
            var model = new Gpt(settings.Model with { VocabSize = tokenizer.VocabularySize }, student.Seed);
            LabTraining.Trainer(settings.StudentSteps, student.Seed).Train(model, examples, progress: LabTraining.StepProgress(progress),
                cancellationToken: cancellationToken, resampler: resampler);
            return new LanguageModel(model, tokenizer, student.Name);
        });

    private static MitigationOutcome Compare(LabMethod method, LabCondition baseline, LabCondition mitigated, LabCondition? fair)
    {
        static double? Gender(LabCondition c) => c.GenerationBias["gender"].Mean;
        static double? Change(double? before, double? after) => before is > 0 && after is { } a && double.IsFinite(a / before.Value) ? a / before.Value - 1 : null;
        static double? Removed(double? before, double? after, double? floor) =>
            before is { } b && after is { } a && floor is { } f && b > f ? (b - a) / (b - f) : null;
        var genderChange = Change(Gender(baseline), Gender(mitigated));
        var probeChange = Change(baseline.Probes.BiasScore, mitigated.Probes.BiasScore);
        var perplexityChange = Change(baseline.Fidelity.Perplexity, mitigated.Fidelity.Perplexity);
        bool withinFidelity = perplexityChange is < FidelityBudget;
        return new MitigationOutcome(method, baseline.Name, mitigated, genderChange, probeChange, perplexityChange,
            genderChange <= -0.5 && withinFidelity, probeChange <= -0.5 && withinFidelity,
            Removed(Gender(baseline), Gender(mitigated), fair is null ? null : Gender(fair)),
            Removed(baseline.Probes.BiasScore, mitigated.Probes.BiasScore, fair?.Probes.BiasScore));
    }

    private static SweepTrend? Trend(IReadOnlyList<LabCondition> sweep)
    {
        if (sweep.Count < 2) return null;
        var ratios = sweep.Select(c => c.Ratio!.Value).ToList();
        var gender = sweep.Select(c => c.GenerationBias["gender"].Mean ?? double.NaN).ToList();
        var generationRho = RankCorrelation.Spearman(ratios, gender);
        var probeRho = RankCorrelation.Spearman(ratios, sweep.Select(c => c.Probes.BiasScore).ToList());
        var (lowest, highest) = (sweep.MinBy(c => c.Ratio)!.GenerationBias["gender"], sweep.MaxBy(c => c.Ratio)!.GenerationBias["gender"]);
        static double? Defined(double rho) => double.IsFinite(rho) ? rho : null;
        return new SweepTrend(Defined(generationRho), Defined(probeRho), generationRho > 0 && probeRho > 0 && highest.CiLow > lowest.CiHigh);
    }
}
