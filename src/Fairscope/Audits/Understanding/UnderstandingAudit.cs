namespace Fairscope;

/// <summary>
/// The understanding half of a unified multimodal model's audit, run after its generation audit: asks the model the
/// understanding questions (<see cref="UnderstandingProbe"/>) in a second run of the same store (resumable like any
/// run), labels the answers, analyses them like any audit and compares each attribute's bias with the generation's
/// (<see cref="PartialAlignment"/>).
/// </summary>
public sealed class UnderstandingAudit(IRunStore store, Bootstrap bootstrap, int concurrency)
{
    /// <summary>The understanding run's name beside generation run <paramref name="generationRun"/>.</summary>
    public static string RunName(string generationRun) => generationRun + Suffix;

    /// <summary>Ends the name of every understanding run, so a run folder's generation run can be told apart.</summary>
    public const string Suffix = ":understanding";

    /// <summary>Generates what is missing (nothing when <paramref name="probe"/> is null: re-analyse the stored answers),
    /// annotates and compares. The spec's parameters (canonical JSON: mode, probed attributes, pool, sampling options,
    /// see <see cref="Parameters"/>) are part of the run's identity.</summary>
    public async Task<UnderstandingResult> RunAsync(RunSpec spec, AuditResult generation, UnderstandingSuite questions, ISampleGenerator? probe,
        IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        // Re-analysing must not mark the stored run as running again.
        var run = probe is null
            ? await store.FindRunAsync(spec.Name, cancellationToken) ?? throw new FairscopeException($"the store holds no run '{spec.Name}'")
            : await store.OpenRunAsync(spec, cancellationToken);
        IAnnotator[] annotators = [new UnderstandingAnnotator(questions.Suite.Attributes)];
        if (probe is not null)
        {
            await new RunEngine(store, probe, concurrency, progress, annotators).GenerateAsync(run, questions.Suite, cancellationToken);
            await store.SetStatusAsync(run.Id, RunInfo.Completed, cancellationToken);
            run = await store.FindRunAsync(spec.Name, cancellationToken) ?? run;
        }
        var (samples, annotations, _) = await new AnnotationStage(store, annotators, concurrency, progress).AnnotateAsync(run, questions.Suite, cancellationToken);
        var analysis = new AuditAnalyzer(bootstrap).Analyze(run, questions.Suite, samples, annotations, annotators);
        var mode = Parameters.Read(spec.Parameters).Mode;
        return new UnderstandingResult(mode.ToString().ToLowerInvariant(), spec.Model, analysis, Compare(generation, analysis, questions, mode), questions.Diagnostics);
    }

    /// <summary>What identifies an understanding run besides its model: the probe mode, where the choose mode's images come
    /// from (<c>run</c> or <c>manifest</c>) and the sampling options. Not the pool's contents nor the attributes it covers:
    /// the run's images grow as the audit is extended, every answer records the images it was shown, and a newly covered
    /// attribute only adds questions.</summary>
    public sealed record Parameters(ProbeMode Mode, string Pool, GenerationOptions Options)
    {
        /// <summary>Canonical JSON stored with the run.</summary>
        public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, Json);

        /// <summary>Reads <see cref="ToJson"/>'s output back.</summary>
        public static Parameters Read(string json) => System.Text.Json.JsonSerializer.Deserialize<Parameters>(json, Json)
            ?? throw new FairscopeException("the understanding run's parameters are empty");

        private static readonly System.Text.Json.JsonSerializerOptions Json = new()
        {
            PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower) },
        };
    }

    /// <summary>Partial alignment of every probed attribute, over the prompts measured both ways.</summary>
    public IReadOnlyList<PartialAlignmentResult> Compare(AuditResult generation, AuditResult understanding, UnderstandingSuite questions, ProbeMode mode)
    {
        var asked = understanding.Prompts.ToDictionary(p => p.Id);
        return [.. questions.Suite.Attributes.Select(a =>
        {
            int[] Counts(PromptResult? p, IEnumerable<string> labels) =>
                [.. labels.Select(c => p is not null && p.Attributes.TryGetValue(a.Name, out var r) ? r.Counts.GetValueOrDefault(c) : 0)];
            var ids = generation.Prompts.Select(p => p.Id).ToList();
            return PartialAlignment.Compare(a.Name, ids, [.. generation.Prompts.Select(p => Counts(p, a.Categories))],
                [.. generation.Prompts.Select(p => Counts(asked.GetValueOrDefault(QuestionId(a.Name, p.Id)), a.Categories.Append(DemographicAttribute.Unknown)))],
                abstentionIsFair: mode == ProbeMode.Ask, bootstrap);
        })];
    }

    /// <summary>The id of the question about <paramref name="attribute"/> on prompt <paramref name="promptId"/>.</summary>
    public static string QuestionId(string attribute, string promptId) => $"{attribute}/{promptId}";
}

/// <summary>What the understanding probe measured.</summary>
/// <param name="Mode"><c>ask</c> or <c>choose</c> (<see cref="ProbeMode"/>).</param>
/// <param name="Analysis">The probe's answers analysed like any audit (prompt ids <c>ATTRIBUTE/PROMPT_ID</c>); its unknown
/// counts are the abstentions.</param>
/// <param name="Alignment">Generation vs understanding bias per attribute.</param>
public sealed record UnderstandingResult(string Mode, string Model, AuditResult Analysis, IReadOnlyList<PartialAlignmentResult> Alignment,
    IReadOnlyList<string> Diagnostics);
