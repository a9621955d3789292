using System.Globalization;

namespace Fairscope;

/// <summary>samples.csv: one row per stored sample with its output, error and every stored label, so each number in
/// the report can be traced to the responses behind it.</summary>
public sealed class SamplesCsvWriter : IReportWriter
{
    /// <summary>The file name written.</summary>
    public const string FileName = "samples.csv";

    /// <inheritdoc />
    public async Task<string> WriteAsync(ReportInput input, string folder, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(folder, FileName);
        // One column per (attribute, annotator) of this analysis, holding that annotator's current version's label:
        // the labels the metrics used, beside the others'.
        var current = input.Result.Annotators.ToDictionary(a => a.Name, a => a.Version);
        var used = input.Annotations.Where(a => current.GetValueOrDefault(a.Annotator) == a.AnnotatorVersion).ToList();
        var labelColumns = used.Select(a => (a.Annotator, a.Attribute)).Distinct()
            .OrderBy(c => c.Attribute, StringComparer.Ordinal).ThenBy(c => c.Annotator, StringComparer.Ordinal).ToList();
        var labels = used.ToDictionary(a => (a.PromptId, a.SampleIndex, a.Annotator, a.Attribute), a => a.Label);
        var prompts = input.Result.Prompts.ToDictionary(p => p.Id, p => p.Text);
        await ReportFile.WriteAsync(path, writer =>
        {
            Csv.WriteRecord(writer, ["prompt_id", "sample_index", "seed", "status", "prompt", "output", "error", "finish_reason", "latency_ms", "attempts",
                .. labelColumns.Select(c => $"{c.Attribute}:{c.Annotator}")]);
            foreach (var s in input.Samples)
                Csv.WriteRecord(writer, [s.PromptId, s.SampleIndex.ToString(CultureInfo.InvariantCulture), s.Seed.ToString(CultureInfo.InvariantCulture),
                    s.Ok ? "ok" : "failed", prompts.GetValueOrDefault(s.PromptId), s.Output, s.Error, s.FinishReason,
                    s.LatencyMs.ToString("0.#", CultureInfo.InvariantCulture), s.Attempts.ToString(CultureInfo.InvariantCulture),
                    .. labelColumns.Select(c => labels.GetValueOrDefault((s.PromptId, s.SampleIndex, c.Annotator, c.Attribute)))]);
            return Task.CompletedTask;
        });
        return path;
    }
}
