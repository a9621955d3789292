using System.Text.Json;

namespace Fairscope;

/// <summary>
/// Trained laboratory models and generated data on disk, keyed by a hash of what they were made from
/// (<see cref="LabSettings.Key"/>), so a second run with the same settings loads instead of training. Each model is a
/// normal model directory (config.json, model.safetensors, vocab.json, merges.txt) that <c>fairscope serve</c> and
/// <c>--provider builtin</c> read too. Entries are written to a temporary name and renamed, so an interrupted run never
/// leaves a half-written one.
/// </summary>
public sealed class ModelCache(string root)
{
    /// <summary>The cache folder.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The shared cache folder (<see cref="FairscopeInfo.CacheRoot"/>).</summary>
    public static string DefaultRoot => FairscopeInfo.CacheRoot;

    /// <summary>The directory of model <paramref name="name"/> with <paramref name="key"/>.</summary>
    public string ModelDirectory(string key, string name) => Path.Combine(Root, "models", $"{name}-{key}");

    /// <summary>True when the model is cached.</summary>
    public bool Contains(string key, string name) => File.Exists(Path.Combine(ModelDirectory(key, name), GptCheckpoint.WeightsFileName));

    /// <summary>Loads the cached model, or trains, saves and returns it.</summary>
    public LanguageModel GetOrTrain(string key, string name, Func<LanguageModel> train)
    {
        var directory = ModelDirectory(key, name);
        if (Contains(key, name)) return LanguageModel.Load(directory);
        var model = train();
        Publish(directory, temporary => model.Save(temporary));
        return model;
    }

    /// <summary>The directory of entry <paramref name="name"/> with <paramref name="key"/>, which <paramref name="write"/>
    /// fills (in a temporary directory, renamed when complete) when it is not cached yet.</summary>
    public string GetOrCreate(string key, string name, Action<string> write)
    {
        var directory = ModelDirectory(key, name);
        if (!Directory.Exists(directory)) Publish(directory, write);
        return directory;
    }

    /// <summary>Loads cached documents, or creates, saves and returns them.</summary>
    public IReadOnlyList<LabDocument> GetOrCreateDocuments(string key, Func<IReadOnlyList<LabDocument>> create)
    {
        var path = Path.Combine(Root, "data", $"augmented-{key}.jsonl");
        var occupations = WorldOccupations.All.ToDictionary(o => o.Id);
        if (File.Exists(path))
            return File.ReadLines(path).Select(line => JsonSerializer.Deserialize<StoredDocument>(line)!)
                .Select(d => new LabDocument(d.Text, d.Kind, occupations[d.Occupation], d.Augmented)).ToList();
        var documents = create();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllLines(temporary, documents.Select(d => JsonSerializer.Serialize(new StoredDocument(d.Text, d.Kind, d.Occupation.Id, d.Augmented))));
        File.Move(temporary, path, overwrite: true);
        return documents;
    }

    private static void Publish(string directory, Action<string> write)
    {
        var temporary = $"{directory}.{Environment.ProcessId}.tmp";
        if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        Directory.CreateDirectory(temporary);
        write(temporary);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true); // a stale entry without weights
        Directory.Move(temporary, directory);
    }

    private sealed record StoredDocument(string Text, string Kind, string Occupation, bool Augmented);
}
