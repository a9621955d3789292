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

    /// <summary>The analysis in a run folder's results.json (or that file itself), for commands that build on an audit;
    /// throws a one-line error naming the file when it is missing or not a Fairscope results file.</summary>
    public static AuditResult Read(string folderOrFile)
    {
        var path = Directory.Exists(folderOrFile) ? Path.Combine(folderOrFile, FileName) : folderOrFile;
        if (!File.Exists(path)) throw new FairscopeException($"{path} does not exist: give an audited run folder (its results.json is written by 'fairscope audit' and 'fairscope report')");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.GetProperty("result").Deserialize<AuditResult>(Options) is { Run: not null, Prompts: not null, Attributes: not null } result
                ? result : throw new JsonException("no run, prompts or attributes");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or NotSupportedException)
        {
            throw new FairscopeException($"{path}: not a Fairscope results.json (docs/results-schema.md): {e.Message.Split('\n')[0]}");
        }
    }

    /// <inheritdoc />
    public async Task<string> WriteAsync(ReportInput input, string folder, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(folder, FileName);
        await ReportFile.WriteAsync(path, writer => writer.WriteAsync(Serialize(input)));
        return path;
    }
}
