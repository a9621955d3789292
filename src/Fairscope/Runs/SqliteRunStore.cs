using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Fairscope;

/// <summary>
/// The embedded run store: one SQLite file in WAL mode. A writer holds an exclusive lock file beside the
/// database so two processes never write one run at once; readers (reports, listings) need no lock.
/// Every write is a transaction, so a killed process loses at most the batch it had not committed.
/// </summary>
public sealed class SqliteRunStore : IRunStore
{
    /// <summary>The store file name inside a run folder.</summary>
    public const string FileName = "run.db";

    private const int SchemaVersion = 1;
    private readonly SqliteConnection _connection;
    private readonly FileStream? _writerLock;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The database file.</summary>
    public string Path { get; }

    private SqliteRunStore(string path, SqliteConnection connection, FileStream? writerLock)
    {
        Path = path;
        _connection = connection;
        _writerLock = writerLock;
    }

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/>. With <paramref name="readOnly"/>
    /// the file must exist and no lock is taken.</summary>
    public static SqliteRunStore Open(string path, bool readOnly = false)
    {
        if (readOnly && !File.Exists(path)) throw new FairscopeException($"no run store at {path}");
        FileStream? writerLock = null;
        SqliteConnection? connection = null;
        try
        {
            if (!readOnly)
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
                writerLock = AcquireWriterLock(path);
            }
            connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
                DefaultTimeout = 30,
            }.ToString());
            connection.Open();
            var store = new SqliteRunStore(path, connection, writerLock);
            store.Initialise(readOnly);
            return store;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            connection?.Dispose();
            writerLock?.Dispose();
            throw Describe(e, path);
        }
    }

    private static FileStream AcquireWriterLock(string path)
    {
        var lockPath = path + ".lock";
        // FileShare.None is an exclusive advisory lock on Linux; the file goes away with the writer.
        try { return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose); }
        catch (IOException e) when (File.Exists(lockPath) && e is not PathTooLongException)
        {
            throw new FairscopeException($"run store {path} is locked by another fairscope process ({lockPath} is held); wait for it to finish or stop it");
        }
    }

    private static FairscopeException Describe(Exception e, string path) => e switch
    {
        FairscopeException f => f,
        SqliteException { SqliteErrorCode: 8 } => new($"run store {path} is read-only; point --out at a writable folder", e),
        SqliteException { SqliteErrorCode: 5 or 6 } => new($"run store {path} is locked by another process; wait for it to finish", e),
        SqliteException { SqliteErrorCode: 26 } => new($"{path} is not a Fairscope run store (not an SQLite database)", e),
        SqliteException { SqliteErrorCode: 14 } or UnauthorizedAccessException or IOException =>
            new($"cannot open run store {path}: {e.Message.Split('\n')[0]}; check that the folder exists and is writable", e),
        _ => new($"run store {path}: {e.Message.Split('\n')[0]}", e),
    };

    private void Initialise(bool readOnly)
    {
        var version = Convert.ToInt32(Scalar("PRAGMA user_version"));
        if (readOnly)
        {
            if (version != SchemaVersion) throw new FairscopeException($"{Path} has schema version {version}; this Fairscope reads version {SchemaVersion}");
            return;
        }
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        if (version == SchemaVersion) return;
        if (version != 0) throw new FairscopeException($"{Path} has schema version {version}; this Fairscope writes version {SchemaVersion}");
        // One transaction: a process killed mid-way leaves no half-made schema behind.
        Execute($"""
            BEGIN;
            CREATE TABLE runs (
              id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, suite_name TEXT NOT NULL, suite_text TEXT NOT NULL,
              provider TEXT NOT NULL, model TEXT NOT NULL, endpoint TEXT, samples_per_prompt INTEGER NOT NULL,
              seed INTEGER NOT NULL, parameters TEXT NOT NULL, status TEXT NOT NULL,
              created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
            CREATE TABLE samples (
              run_id INTEGER NOT NULL REFERENCES runs(id), prompt_id TEXT NOT NULL, sample_index INTEGER NOT NULL,
              seed INTEGER NOT NULL, output TEXT, error TEXT, finish_reason TEXT, latency_ms REAL NOT NULL,
              attempts INTEGER NOT NULL, created_at TEXT NOT NULL,
              PRIMARY KEY (run_id, prompt_id, sample_index));
            CREATE TABLE annotations (
              run_id INTEGER NOT NULL REFERENCES runs(id), prompt_id TEXT NOT NULL, sample_index INTEGER NOT NULL,
              annotator TEXT NOT NULL, annotator_version TEXT NOT NULL, attribute TEXT NOT NULL, label TEXT NOT NULL,
              evidence TEXT,
              PRIMARY KEY (run_id, prompt_id, sample_index, annotator, annotator_version, attribute));
            PRAGMA user_version = {SchemaVersion};
            COMMIT;
            """);
    }

    /// <inheritdoc />
    public async Task<RunInfo> OpenRunAsync(RunSpec spec, CancellationToken cancellationToken = default)
    {
        var existing = await FindRunAsync(spec.Name, cancellationToken);
        if (existing is not null)
        {
            var stored = existing.Spec with { SamplesPerPrompt = spec.SamplesPerPrompt };
            var empty = existing.OkSamples + existing.FailedSamples == 0;
            // A run that never stored a sample (say, a mistyped --base-url stopped at the first request) takes the new settings.
            if (stored != spec && !empty)
                throw new FairscopeException(
                    $"{Path} already holds run '{spec.Name}' of {Differences(existing.Spec, spec)}; use another --out folder to start a new run, or repeat the original options to resume");
            await Locked(() => Execute("""
                UPDATE runs SET suite_name = $suite, suite_text = $text, provider = $provider, model = $model, endpoint = $endpoint,
                  samples_per_prompt = $n, seed = $seed, parameters = $params, status = $s, updated_at = $t WHERE id = $id
                """, ("$suite", spec.SuiteName), ("$text", spec.SuiteText), ("$provider", spec.Provider), ("$model", spec.Model),
                ("$endpoint", spec.Endpoint), ("$n", spec.SamplesPerPrompt), ("$seed", spec.Seed), ("$params", spec.Parameters),
                ("$s", RunInfo.Running), ("$t", Now()), ("$id", existing.Id)), cancellationToken);
        }
        else
        {
            await Locked(() => Execute("""
                INSERT INTO runs (name, suite_name, suite_text, provider, model, endpoint, samples_per_prompt, seed, parameters, status, created_at, updated_at)
                VALUES ($name, $suite, $text, $provider, $model, $endpoint, $n, $seed, $params, $status, $t, $t)
                """, ("$name", spec.Name), ("$suite", spec.SuiteName), ("$text", spec.SuiteText), ("$provider", spec.Provider),
                ("$model", spec.Model), ("$endpoint", spec.Endpoint), ("$n", spec.SamplesPerPrompt), ("$seed", spec.Seed),
                ("$params", spec.Parameters), ("$status", RunInfo.Running), ("$t", Now())), cancellationToken);
        }
        return (await FindRunAsync(spec.Name, cancellationToken))!;
    }

    private static string Differences(RunSpec stored, RunSpec requested)
    {
        var diffs = new List<string>();
        if (stored.SuiteName != requested.SuiteName || stored.SuiteText != requested.SuiteText) diffs.Add($"suite '{stored.SuiteName}' (content differs)");
        if (stored.Provider != requested.Provider || stored.Model != requested.Model) diffs.Add($"model '{stored.Model}' via {stored.Provider}");
        if (stored.Endpoint != requested.Endpoint) diffs.Add($"endpoint {stored.Endpoint}");
        if (stored.Seed != requested.Seed) diffs.Add($"seed {stored.Seed}");
        if (stored.Parameters != requested.Parameters) diffs.Add($"parameters {stored.Parameters}");
        return diffs.Count == 0 ? "different settings" : string.Join(", ", diffs);
    }

    /// <inheritdoc />
    public async Task<RunInfo?> FindRunAsync(string name, CancellationToken cancellationToken = default) =>
        (await QueryRuns("WHERE r.name = $name", ("$name", name), cancellationToken)).FirstOrDefault();

    /// <inheritdoc />
    public Task<IReadOnlyList<RunInfo>> ListRunsAsync(CancellationToken cancellationToken = default) =>
        QueryRuns("", null, cancellationToken);

    private Task<IReadOnlyList<RunInfo>> QueryRuns(string where, (string, object?)? parameter, CancellationToken ct) => Locked(() =>
    {
        using var command = Command($"""
            SELECT r.id, r.name, r.suite_name, r.suite_text, r.provider, r.model, r.endpoint, r.samples_per_prompt, r.seed,
                   r.parameters, r.status, r.created_at, r.updated_at,
                   (SELECT count(*) FROM samples s WHERE s.run_id = r.id AND s.error IS NULL),
                   (SELECT count(*) FROM samples s WHERE s.run_id = r.id AND s.error IS NOT NULL)
            FROM runs r {where} ORDER BY r.created_at DESC, r.id DESC
            """, parameter is { } p ? [p] : []);
        using var reader = command.ExecuteReader();
        var runs = new List<RunInfo>();
        while (reader.Read())
            runs.Add(new RunInfo(reader.GetInt64(0),
                new RunSpec(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt32(7), reader.GetInt64(8), reader.GetString(9)),
                reader.GetString(10), DateTimeOffset.Parse(reader.GetString(11)), DateTimeOffset.Parse(reader.GetString(12)),
                reader.GetInt32(13), reader.GetInt32(14)));
        return (IReadOnlyList<RunInfo>)runs;
    }, ct);

    /// <inheritdoc />
    public Task SetStatusAsync(long runId, string status, CancellationToken cancellationToken = default) =>
        Locked(() => Execute("UPDATE runs SET status = $s, updated_at = $t WHERE id = $id", ("$s", status), ("$t", Now()), ("$id", runId)),
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlySet<(string PromptId, int SampleIndex)>> GetSucceededKeysAsync(long runId, CancellationToken cancellationToken = default) =>
        Locked(() =>
        {
            using var command = Command("SELECT prompt_id, sample_index FROM samples WHERE run_id = $id AND error IS NULL", ("$id", runId));
            using var reader = command.ExecuteReader();
            var keys = new HashSet<(string, int)>();
            while (reader.Read()) keys.Add((reader.GetString(0), reader.GetInt32(1)));
            return (IReadOnlySet<(string, int)>)keys;
        }, cancellationToken);

    /// <inheritdoc />
    public Task WriteSamplesAsync(long runId, IReadOnlyList<SampleRecord> samples, CancellationToken cancellationToken = default) =>
        WriteBatch(samples, """
            INSERT INTO samples (run_id, prompt_id, sample_index, seed, output, error, finish_reason, latency_ms, attempts, created_at)
            VALUES ($run, $p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8)
            ON CONFLICT (run_id, prompt_id, sample_index) DO UPDATE SET
              seed = excluded.seed, output = excluded.output, error = excluded.error, finish_reason = excluded.finish_reason,
              latency_ms = excluded.latency_ms, attempts = samples.attempts + excluded.attempts, created_at = excluded.created_at
            WHERE samples.error IS NOT NULL
            """, runId, s => [s.PromptId, s.SampleIndex, s.Seed, s.Output, s.Error, s.FinishReason, s.LatencyMs, s.Attempts, Now()],
            cancellationToken);

    /// <inheritdoc />
    public Task WriteAnnotationsAsync(long runId, IReadOnlyList<AnnotationRecord> annotations, CancellationToken cancellationToken = default) =>
        WriteBatch(annotations, """
            INSERT OR REPLACE INTO annotations (run_id, prompt_id, sample_index, annotator, annotator_version, attribute, label, evidence)
            VALUES ($run, $p0, $p1, $p2, $p3, $p4, $p5, $p6)
            """, runId, a => [a.PromptId, a.SampleIndex, a.Annotator, a.AnnotatorVersion, a.Attribute, a.Label, a.Evidence],
            cancellationToken);

    private Task WriteBatch<T>(IReadOnlyList<T> rows, string sql, long runId, Func<T, object?[]> values, CancellationToken ct) =>
        rows.Count == 0 ? Task.CompletedTask : Locked(() =>
        {
            using var transaction = _connection.BeginTransaction();
            using var command = Command(sql, ("$run", runId));
            command.Transaction = transaction;
            var arity = values(rows[0]).Length;
            var parameters = Enumerable.Range(0, arity).Select(i => command.Parameters.Add(new SqliteParameter($"$p{i}", null))).ToArray();
            command.Prepare();
            foreach (var row in rows)
            {
                var v = values(row);
                for (var i = 0; i < arity; i++) parameters[i].Value = v[i] ?? DBNull.Value;
                command.ExecuteNonQuery();
            }
            transaction.Commit();
            return true;
        }, ct);

    /// <inheritdoc />
    public IAsyncEnumerable<SampleRecord> ReadSamplesAsync(long runId, CancellationToken cancellationToken = default) =>
        ReadRows("""
            SELECT prompt_id, sample_index, seed, output, error, finish_reason, latency_ms, attempts
            FROM samples WHERE run_id = $id ORDER BY prompt_id, sample_index
            """, runId, r => new SampleRecord(r.GetString(0), r.GetInt32(1), r.GetInt64(2), NullableString(r, 3), NullableString(r, 4),
                NullableString(r, 5), r.GetDouble(6), r.GetInt32(7)), cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<AnnotationRecord> ReadAnnotationsAsync(long runId, CancellationToken cancellationToken = default) =>
        ReadRows("""
            SELECT prompt_id, sample_index, annotator, annotator_version, attribute, label, evidence
            FROM annotations WHERE run_id = $id
            """, runId, r => new AnnotationRecord(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4),
                r.GetString(5), NullableString(r, 6)), cancellationToken);

    // Reads a whole result under the lock, then yields: callers may write while they enumerate.
    private async IAsyncEnumerable<T> ReadRows<T>(string sql, long runId, Func<SqliteDataReader, T> map,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var rows = await Locked(() =>
        {
            using var command = Command(sql, ("$id", runId));
            using var reader = command.ExecuteReader();
            var list = new List<T>();
            while (reader.Read()) list.Add(map(reader));
            return list;
        }, ct);
        foreach (var row in rows) yield return row;
    }

    private static string? NullableString(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static string Now() => DateTimeOffset.UtcNow.ToString("O");

    private async Task<T> Locked<T>(Func<T> action, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try { return action(); }
        catch (SqliteException e) { throw Describe(e, Path); }
        finally { _gate.Release(); }
    }

    private Task Locked(Action action, CancellationToken ct) => Locked(() => { action(); return true; }, ct);

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private void Execute(string sql, params (string, object?)[] parameters)
    {
        using var command = Command(sql, parameters);
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var command = Command(sql);
        return command.ExecuteScalar();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _connection.Dispose();
        _writerLock?.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }
}
