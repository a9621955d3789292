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
        var labelColumns = input.Annotations.Select(a => (a.Annotator, a.Attribute)).Distinct()
            .OrderBy(c => c.Attribute, StringComparer.Ordinal).ThenBy(c => c.Annotator, StringComparer.Ordinal).ToList();
        // Latest annotator version wins per column; versions sort by their rule/content numbers.
        var labels = input.Annotations.GroupBy(a => (a.PromptId, a.SampleIndex, a.Annotator, a.Attribute))
            .ToDictionary(g => g.Key, g => g.MaxBy(a => a.AnnotatorVersion, StringComparer.Ordinal)!.Label);
        var prompts = input.Result.Prompts.ToDictionary(p => p.Id, p => p.Text);
        await using var writer = new StreamWriter(path);
        Csv.WriteRecord(writer, ["prompt_id", "sample_index", "seed", "status", "prompt", "output", "error", "finish_reason", "latency_ms", "attempts",
            .. labelColumns.Select(c => $"{c.Attribute}:{c.Annotator}")]);
        foreach (var s in input.Samples)
            Csv.WriteRecord(writer, [s.PromptId, s.SampleIndex.ToString(), s.Seed.ToString(), s.Ok ? "ok" : "failed",
                prompts.GetValueOrDefault(s.PromptId), s.Output, s.Error, s.FinishReason, s.LatencyMs.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture),
                s.Attempts.ToString(), .. labelColumns.Select(c => labels.GetValueOrDefault((s.PromptId, s.SampleIndex, c.Annotator, c.Attribute)))]);
        return path;
    }
}
