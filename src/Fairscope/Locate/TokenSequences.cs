using System.Text.Json;

namespace Fairscope;

/// <summary>
/// Reads the image-token sequences of the token locate analysis from JSONL, one generated image per line:
/// <c>{"concept": "nurse", "tokens": [...], "perceived": {"gender": "male"}}</c> for the neutral prompt (perceived labels
/// optional) and <c>{"concept": "nurse", "attribute": "gender", "group": "female", "tokens": [...]}</c> for a group prompt.
/// Each prompt's sequences become one histogram over the codebook (<see cref="TokenHistogram"/>).
/// </summary>
public static class TokenSequences
{
    private sealed class Concept(long line)
    {
        public long Line { get; } = line;
        public List<int[]> Neutral { get; } = [];
        public Dictionary<string, Dictionary<string, int>> Perceived { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, Dictionary<string, (long Line, List<int[]> Tokens)>> Groups { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>The concepts of <paramref name="path"/> in order of first appearance. Without <paramref name="codebookSize"/>
    /// the codebook is the largest id + 1; with it, an id outside [0, size) is an error naming its line.</summary>
    public static IReadOnlyList<TokenConcept> Read(string path, int? codebookSize = null)
    {
        if (!File.Exists(path)) throw new FairscopeException($"{path}: sequences file not found");
        if (codebookSize < 1) throw new FairscopeException($"--codebook-size {codebookSize}: give a positive number of codebook entries");
        var concepts = new Dictionary<string, Concept>(StringComparer.Ordinal);
        var largest = -1;
        long line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var where = $"{path}:{line}";
            using var document = Parse(text, where);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FairscopeException($"{where}: a JSON {root.ValueKind}, not an object with \"concept\" and \"tokens\"");
            var name = Text(root, "concept", where) ?? throw new FairscopeException($"{where}: no \"concept\" string; name the concept (e.g. the occupation)");
            var tokens = Tokens(root, where, codebookSize);
            largest = Math.Max(largest, tokens.DefaultIfEmpty(-1).Max());
            if (!concepts.TryGetValue(name, out var concept)) concepts[name] = concept = new Concept(line);
            var attribute = Text(root, "attribute", where);
            if (attribute is null)
            {
                concept.Neutral.Add(tokens);
                if (root.TryGetProperty("perceived", out var perceived)) Count(perceived, concept, where);
                continue;
            }
            var group = Text(root, "group", where) ?? throw new FairscopeException($"{where}: \"attribute\" without a \"group\" string; name the group of the prompt");
            if (!concept.Groups.TryGetValue(attribute, out var groups)) concept.Groups[attribute] = groups = new(StringComparer.Ordinal);
            if (!groups.TryGetValue(group, out var entry)) groups[group] = entry = (line, []);
            entry.Tokens.Add(tokens);
        }
        if (concepts.Count == 0) throw new FairscopeException($"{path}: no sequences; write one JSON object per generated image");
        var size = codebookSize ?? largest + 1;
        return [.. concepts.Select(c => Build(c.Key, c.Value, size, path))];
    }

    private static TokenConcept Build(string name, Concept concept, int size, string path)
    {
        if (concept.Neutral.Sum(t => t.Length) == 0)
            throw new FairscopeException($"{path}:{concept.Line}: concept '{name}' has no neutral-prompt tokens; add lines without \"attribute\" for 'a photo of a {name}'");
        if (concept.Groups.Count == 0)
            throw new FairscopeException($"{path}:{concept.Line}: concept '{name}' has no group-prompt lines; add lines with \"attribute\" and \"group\"");
        var groups = new List<GroupTokens>();
        foreach (var (attribute, byGroup) in concept.Groups)
        {
            if (byGroup.Count < 2)
                throw new FairscopeException($"{path}:{byGroup.First().Value.Line}: concept '{name}', attribute '{attribute}' has only group '{byGroup.First().Key}'; add lines for at least one more group");
            foreach (var (group, (line, tokens)) in byGroup)
            {
                if (tokens.Sum(t => t.Length) == 0)
                    throw new FairscopeException($"{path}:{line}: concept '{name}', attribute '{attribute}', group '{group}' has no tokens; every group needs generated tokens");
                groups.Add(new GroupTokens(attribute, group, TokenHistogram.Count(tokens, size)));
            }
        }
        var perceived = concept.Perceived.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, int>)p.Value, StringComparer.Ordinal);
        return new TokenConcept(name, TokenHistogram.Count(concept.Neutral, size), groups, perceived);
    }

    private static JsonDocument Parse(string text, string where)
    {
        try { return JsonDocument.Parse(text); }
        catch (JsonException e) { throw new FairscopeException($"{where}: not valid JSON ({e.Message.Split('\n')[0]}); write one JSON object per line"); }
    }

    private static string? Text(JsonElement root, string property, string where)
    {
        if (!root.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String && value.GetString()!.Trim() is { Length: > 0 } text ? text
            : throw new FairscopeException($"{where}: \"{property}\" must be a non-empty string");
    }

    private static int[] Tokens(JsonElement root, string where, int? codebookSize)
    {
        if (!root.TryGetProperty("tokens", out var array) || array.ValueKind != JsonValueKind.Array)
            throw new FairscopeException($"{where}: no \"tokens\" array; give the image's codebook ids");
        var tokens = new int[array.GetArrayLength()];
        var i = 0;
        foreach (var token in array.EnumerateArray())
        {
            if (token.ValueKind != JsonValueKind.Number || !token.TryGetInt32(out var id))
                throw new FairscopeException($"{where}: \"tokens\" entry {i + 1} is {token.GetRawText()}, not an integer id");
            if (id < 0 || id >= codebookSize)
                throw new FairscopeException($"{where}: token id {id} is outside the vocabulary [0, {(codebookSize is { } n ? n.ToString() : "∞")}); fix the id or raise --codebook-size");
            tokens[i++] = id;
        }
        return tokens;
    }

    private static void Count(JsonElement perceived, Concept concept, string where)
    {
        if (perceived.ValueKind != JsonValueKind.Object)
            throw new FairscopeException($"{where}: \"perceived\" must be an object of attribute → label, e.g. {{\"gender\": \"male\"}}");
        foreach (var label in perceived.EnumerateObject())
        {
            if (label.Value.ValueKind == JsonValueKind.Null) continue;
            if (label.Value.ValueKind != JsonValueKind.String)
                throw new FairscopeException($"{where}: \"perceived\".\"{label.Name}\" must be a string label or null");
            if (LocateLabels.IsUnlabelled(label.Value.GetString())) continue;
            if (!concept.Perceived.TryGetValue(label.Name, out var counts)) concept.Perceived[label.Name] = counts = new(StringComparer.Ordinal);
            counts[label.Value.GetString()!.Trim()] = counts.GetValueOrDefault(label.Value.GetString()!.Trim()) + 1;
        }
    }
}
