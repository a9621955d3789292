using System.Text.Json;

namespace Fairscope;

/// <summary>results.json: the whole <see cref="AuditResult"/> plus gate verdicts, snake_case, nulls for undefined
/// values. Schema: docs/results-schema.md.</summary>
public sealed class JsonReportWriter : IReportWriter
{
    /// <summary>The file name written.</summary>
    public const string FileName = "results.json";

    /// <summary>Serialiser settings shared with the HTML report's embedded copy.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <summary>The JSON document for <paramref name="input"/>; <c>understanding</c> appears when the probe ran, <c>baseline</c>
    /// when the run was compared with a baseline run.</summary>
    public static string Serialize(ReportInput input)
    {
        var document = JsonSerializer.SerializeToNode(new { Result = input.Result, input.Gates }, Options)!.AsObject();
        if (input.Understanding is { } understanding) document["understanding"] = JsonSerializer.SerializeToNode(understanding, Options);
        if (input.Baseline is { } baseline) document["baseline"] = JsonSerializer.SerializeToNode(baseline, Options);
        return document.ToJsonString(Options);
    }

    /// <inheritdoc />
    public async Task<string> WriteAsync(ReportInput input, string folder, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(folder, FileName);
        await ReportFile.WriteAsync(path, writer => writer.WriteAsync(Serialize(input)));
        return path;
    }
}
