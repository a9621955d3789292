namespace Fairscope;

/// <summary>Writes one kind of report for an analysed run into a folder.</summary>
public interface IReportWriter
{
    /// <summary>Writes the report; returns the path written.</summary>
    Task<string> WriteAsync(ReportInput input, string folder, CancellationToken cancellationToken = default);
}

/// <summary>What reports are made from: the analysis, the stored samples and labels, and any gate verdicts; for image
/// runs also the run's images (for contact sheets) and the understanding probe's result when one ran; and the comparison
/// with a baseline run when one was given.</summary>
public sealed record ReportInput(AuditResult Result, IReadOnlyList<SampleRecord> Samples, IReadOnlyList<AnnotationRecord> Annotations,
    IReadOnlyList<GateVerdict> Gates, ImageStore? Images = null, UnderstandingResult? Understanding = null, RunComparisonResult? Baseline = null);
