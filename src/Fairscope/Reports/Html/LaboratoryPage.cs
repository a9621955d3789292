using System.Text.Json;

namespace Fairscope;

/// <summary>What the image laboratories' reports share: results.json (the whole result, snake_case) beside one
/// self-contained report.html, and the page's head and style.</summary>
public static class LaboratoryPage
{
    /// <summary>Writes <paramref name="result"/> as results.json and <paramref name="html"/> as report.html into
    /// <paramref name="folder"/>; returns the HTML report's path.</summary>
    public static async Task<string> WriteAsync<T>(T result, string html, string folder)
    {
        await ReportFile.WriteAsync(Path.Combine(folder, JsonReportWriter.FileName), w => w.WriteAsync(JsonSerializer.Serialize(result, JsonReportWriter.Options)));
        var path = Path.Combine(folder, HtmlReportWriter.FileName);
        await ReportFile.WriteAsync(path, w => w.WriteAsync(html));
        return path;
    }

    /// <summary>The document's start up to and including <c>&lt;body&gt;</c>, titled <paramref name="title"/> (escaped here).</summary>
    public static string Head(string title) => $$"""
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{HtmlCells.H(title)}}</title>
        <style>body{font:14px/1.45 system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
        table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
        th:first-child,td:first-child{text-align:left}.note{color:#555}img{image-rendering:pixelated;max-width:100%}</style></head><body>

        """;
}
