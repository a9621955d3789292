namespace Fairscope;

/// <summary>
/// The part of an audit after generation, shared by <c>fairscope audit</c> and <c>fairscope report</c>: label
/// what is not labelled yet, analyse, check gates and write results.json, report.html and samples.csv.
/// </summary>
public sealed class AuditReporter(IRunStore store, IReadOnlyList<IAnnotator> annotators, Bootstrap bootstrap, int annotationConcurrency)
{
    /// <summary>Report writers, in the order their files are written.</summary>
    public static IReadOnlyList<IReportWriter> Writers { get; } = [new JsonReportWriter(), new HtmlReportWriter(), new SamplesCsvWriter()];

    /// <summary>Annotates, analyses and writes the reports into <paramref name="folder"/>. For an image run,
    /// <paramref name="images"/> gives the reports its images, and <paramref name="understand"/>, when given, runs the
    /// understanding probe on the analysed run (<see cref="UnderstandingAudit"/>) so the reports show both halves, and
    /// <paramref name="baseline"/>, when given, is the analysis of a baseline run to compare with (<see cref="RunComparison"/>).</summary>
    public async Task<ReportInput> ReportAsync(RunInfo run, Suite suite, IReadOnlyList<FairnessGate> gates, string folder,
        IProgress<RunProgress>? progress, CancellationToken cancellationToken, ImageStore? images = null,
        Func<AnnotatedRun, AuditResult, Task<UnderstandingResult>>? understand = null, AuditResult? baseline = null)
    {
        var annotated = await new AnnotationStage(store, annotators, annotationConcurrency, progress).AnnotateAsync(run, suite, cancellationToken);
        var (samples, annotations, _) = annotated;
        var refreshed = await store.FindRunAsync(run.Spec.Name, cancellationToken) ?? run;
        var result = new AuditAnalyzer(bootstrap).Analyze(refreshed, suite, samples, annotations, annotators);
        var input = new ReportInput(result, samples, annotations, gates.Select(g => g.Evaluate(result)).ToList(), images,
            Baseline: baseline is null ? null : RunComparison.Compare(baseline, result, bootstrap));
        Directory.CreateDirectory(folder);
        // The generation's reports first: a failing probe (a wrong chat endpoint) must not cost them.
        foreach (var writer in Writers) await writer.WriteAsync(input, folder, cancellationToken);
        if (understand is null) return input;
        input = input with { Understanding = await understand(annotated, result) };
        foreach (var writer in Writers) await writer.WriteAsync(input, folder, cancellationToken);
        return input;
    }
}
