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

    /// <summary>The JSON document for <paramref name="input"/>; <c>understanding</c> appears when the probe ran.</summary>
    public static string Serialize(ReportInput input) => input.Understanding is null
        ? JsonSerializer.Serialize(new { Result = input.Result, input.Gates }, Options)
        : JsonSerializer.Serialize(new { Result = input.Result, input.Gates, input.Understanding }, Options);

    /// <inheritdoc />
    public async Task<string> WriteAsync(ReportInput input, string folder, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(folder, FileName);
        await ReportFile.WriteAsync(path, writer => writer.WriteAsync(Serialize(input)));
        return path;
    }
}
