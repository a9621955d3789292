using System.Text.Json;
using Fairscope.Cli;
using Microsoft.Data.Sqlite;

namespace Fairscope.Tests;

/// <summary>Runs the CLI in-process with stderr captured, and reads what a run left on disk.</summary>
internal static class CliHarness
{
    private static readonly SemaphoreSlim ConsoleGate = new(1, 1);

    public static async Task<(int Exit, string Errors)> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        await ConsoleGate.WaitAsync(CancellationToken.None);
        var original = Console.Error;
        var errors = new StringWriter();
        Console.SetError(errors);
        try { return (await FairscopeCli.RunAsync(args, cancellationToken), errors.ToString()); }
        finally
        {
            Console.SetError(original);
            ConsoleGate.Release();
        }
    }

    public static Task<(int Exit, string Errors)> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    public static JsonElement Results(string folder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json"))).RootElement.GetProperty("result");

    /// <summary>Every stored output by (prompt id, sample index), read with plain SQL.</summary>
    public static Dictionary<(string, int), string?> StoredOutputs(string folder)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "run.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT prompt_id, sample_index, output FROM samples";
        using var reader = command.ExecuteReader();
        var outputs = new Dictionary<(string, int), string?>();
        while (reader.Read()) outputs[(reader.GetString(0), reader.GetInt32(1))] = reader.IsDBNull(2) ? null : reader.GetString(2);
        return outputs;
    }

    /// <summary>(prompt id, sample index, ok) of every stored sample, read with plain SQL.</summary>
    public static List<(string PromptId, int Index, bool Ok)> StoredSamples(string folder)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "run.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT prompt_id, sample_index, error IS NULL FROM samples";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, int, bool)>();
        while (reader.Read()) rows.Add((reader.GetString(0), reader.GetInt32(1), reader.GetBoolean(2)));
        return rows;
    }
}

/// <summary>A temporary folder removed at dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("fairscope-test-").FullName;

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliCollection
{
    public const string Name = "cli";
}
