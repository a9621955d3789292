namespace Fairscope;

/// <summary>Writes a report file through a temporary file and a rename, so an interrupted write never leaves a
/// truncated results.json or report.html in place of the previous one.</summary>
public static class ReportFile
{
    public static async Task WriteAsync(string path, Func<TextWriter, Task> write)
    {
        var temporary = path + ".partial";
        await using (var writer = new StreamWriter(temporary) { NewLine = "\n" }) await write(writer);
        File.Move(temporary, path, overwrite: true);
    }
}
