using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Fairscope;

/// <summary>
/// Loads suites from YAML (docs/suites.md): either a plain <c>prompts</c> list or <c>templates</c> whose
/// <c>{slot}</c> placeholders expand over the Cartesian product of the slots' values. Errors name the file
/// and line.
/// </summary>
public static partial class SuiteLoader
{
    private const string ResourcePrefix = "Fairscope.Suites.";

    // Measures Fairscope adds beside the suite's attributes (refusals, counterfactual length gaps).
    private static readonly string[] ReservedNames = [RefusalAnnotator.Attribute, CounterfactualAnalyzer.Length];

    /// <summary>Names of the suites shipped inside the library.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = typeof(SuiteLoader).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..^".yaml".Length]).Order(StringComparer.Ordinal).ToList();

    /// <summary>Loads a built-in suite by name, or else a suite file by path.</summary>
    public static Suite Load(string nameOrPath)
    {
        if (BuiltInNames.Contains(nameOrPath)) return Parse(BuiltInText(nameOrPath), $"builtin:{nameOrPath}");
        if (!File.Exists(nameOrPath))
            throw new FairscopeException($"suite '{nameOrPath}' is neither a built-in suite ({string.Join(", ", BuiltInNames)}) nor an existing file");
        return Parse(File.ReadAllText(nameOrPath), nameOrPath);
    }

    private static string BuiltInText(string name)
    {
        using var stream = typeof(SuiteLoader).Assembly.GetManifestResourceStream(ResourcePrefix + name + ".yaml")!;
        return new StreamReader(stream).ReadToEnd();
    }

    private static readonly string[] TopKeys = ["name", "description", "version", "modality", "attributes", "intersections",
        "counterfactual", "templates", "slots", "slots_from", "prompts"];

    // A suite that imports slots is stored with the imported suite's text after this line, so the stored text alone
    // re-creates the run's prompts (reports, resumes) and a change to the imported file changes the run's identity.
    private const string EmbeddedSlotsMarker = "\n--- # slots_from, as loaded\n";

    /// <summary>Parses suite YAML; <paramref name="origin"/> names the source in error messages.</summary>
    public static Suite Parse(string yaml, string origin)
    {
        var cut = yaml.IndexOf(EmbeddedSlotsMarker, StringComparison.Ordinal);
        var embedded = cut < 0 ? null : yaml[(cut + EmbeddedSlotsMarker.Length)..];
        var y = new YamlNodes(origin);
        var root = y.LoadRoot(cut < 0 ? yaml : yaml[..cut]);
        var top = y.Keys(root, "the suite", TopKeys);
        var modality = top.TryGetValue("modality", out var mod) ? y.Scalar(mod, "modality") : Suite.Text;
        if (modality is not (Suite.Text or Suite.Image)) throw y.Error(mod!, $"modality must be '{Suite.Text}' or '{Suite.Image}', not '{modality}'");

        var attributes = ReadAttributes(y, root, top);
        var plain = attributes.ToList();
        if (top.TryGetValue("intersections", out var inter))
            foreach (var (item, i) in y.Sequence(inter, "intersections").Children.Select((n, i) => (n, i)))
            {
                var names = y.Strings(item, $"intersections[{i}]");
                if (names.Count < 2) throw y.Error(item, $"intersections[{i}] must join at least two attributes");
                var parts = names.Select(n => plain.FirstOrDefault(a => a.Name == n)
                    ?? throw y.Error(item, $"intersections[{i}] names '{n}', which is not a declared attribute")).ToList();
                var joined = DemographicAttribute.Join(parts);
                if (attributes.Any(a => a.Name == joined.Name)) throw y.Error(item, $"intersections[{i}] makes '{joined.Name}', which is already an attribute");
                attributes.Add(joined);
            }

        var counterfactual = top.TryGetValue("counterfactual", out var cf) ? y.Scalar(cf, "counterfactual") : null;
        var prompts = new List<SuitePrompt>();
        if (top.TryGetValue("prompts", out var promptList)) prompts.AddRange(ReadPlainPrompts(y, promptList));
        if (top.TryGetValue("templates", out var templates))
        {
            var (imported, importedText) = ImportedSlots(y, top, origin, plain, embedded);
            prompts.AddRange(ExpandTemplates(y, templates, imported, top.GetValueOrDefault("slots"), plain, counterfactual));
            if (embedded is null && importedText is not null) yaml += EmbeddedSlotsMarker + importedText;
        }
        else if (top.ContainsKey("slots") || top.ContainsKey("slots_from"))
            throw y.Error(top.GetValueOrDefault("slots") ?? top["slots_from"], "slots are given but no templates use them");
        if (counterfactual is not null && !top.ContainsKey("templates"))
            throw y.Error(cf!, "counterfactual names a slot, so the suite needs templates");
        if (prompts.Count == 0) throw y.Error(root, "the suite has no prompts: add 'prompts' or 'templates'");

        var duplicate = prompts.GroupBy(p => p.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw y.Error(root, $"prompt id '{duplicate.Key}' occurs more than once");

        return new Suite
        {
            Name = y.Required(top, "name", root, "the suite"),
            Description = top.TryGetValue("description", out var d) ? y.Scalar(d, "description") : "",
            Version = top.TryGetValue("version", out var v) ? y.Integer(v, "version") : 1,
            Modality = modality,
            Attributes = attributes,
            Prompts = prompts,
            CounterfactualSlot = counterfactual,
            SourceText = yaml,
            Origin = origin,
        };
    }

    private static List<DemographicAttribute> ReadAttributes(YamlNodes y, YamlNode root, Dictionary<string, YamlNode> top)
    {
        if (!top.TryGetValue("attributes", out var node)) throw y.Error(root, "the suite needs 'attributes' (e.g. gender: {categories: [female, male]})");
        var result = new List<DemographicAttribute>();
        foreach (var (key, value) in y.Mapping(node, "attributes").Children)
        {
            var name = y.Scalar(key, "attribute name");
            if (!SlugPattern().IsMatch(name)) throw y.Error(key, $"attribute name '{name}' must be lower-case letters, digits and '_'");
            if (ReservedNames.Contains(name)) throw y.Error(key, $"'{name}' is reserved for a built-in measure; name the attribute differently");
            var keys = y.Keys(value, $"attributes.{name}", "categories", "target");
            if (!keys.TryGetValue("categories", out var cats)) throw y.Error(value, $"attributes.{name} needs 'categories'");
            var categories = y.Strings(cats, $"attributes.{name}.categories");
            if (categories.Count < 2) throw y.Error(cats, $"attributes.{name}.categories needs at least two categories");
            if (categories.Contains(DemographicAttribute.Unknown))
                throw y.Error(cats, $"'{DemographicAttribute.Unknown}' is always counted; do not declare it as a category");
            if (categories.Distinct().Count() != categories.Count) throw y.Error(cats, $"attributes.{name}.categories has a duplicate");
            var target = keys.TryGetValue("target", out var t)
                ? y.Distribution(t, $"attributes.{name}.target", categories)
                : DemographicAttribute.Uniform(categories);
            result.Add(new DemographicAttribute(name, categories, target, []));
        }
        if (result.Count == 0) throw y.Error(node, "attributes is empty");
        return result;
    }

    private static IEnumerable<SuitePrompt> ReadPlainPrompts(YamlNodes y, YamlNode node)
    {
        foreach (var (item, i) in y.Sequence(node, "prompts").Children.Select((n, i) => (n, i)))
        {
            var keys = y.Keys(item, $"prompts[{i}]", "id", "text");
            yield return new SuitePrompt(y.Required(keys, "id", item, $"prompts[{i}]"), y.Required(keys, "text", item, $"prompts[{i}]"),
                new Dictionary<string, string>(), new Dictionary<string, IReadOnlyDictionary<string, double>>());
        }
    }

    private sealed record SlotValue(string Id, string Text, Dictionary<string, IReadOnlyDictionary<string, double>> References);

    // The slots of the suite named by slots_from (a built-in suite or a file relative to this one), so that suites for
    // other modalities reuse one list of occupations and its references instead of copying it. References to
    // attributes this suite does not declare are dropped.
    private static (Dictionary<string, List<SlotValue>> Slots, string? Text) ImportedSlots(YamlNodes y, Dictionary<string, YamlNode> top, string origin,
        IReadOnlyList<DemographicAttribute> attributes, string? embedded)
    {
        if (!top.TryGetValue("slots_from", out var node)) return ([], null);
        var name = y.Scalar(node, "slots_from");
        var relative = origin.StartsWith("builtin:", StringComparison.Ordinal) ? name : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(origin))!, name);
        var (text, source) = embedded is not null ? (embedded, $"{origin} (slots_from '{name}' as loaded)")
            : BuiltInNames.Contains(name) ? (BuiltInText(name), $"builtin:{name}")
            : File.Exists(relative) ? (File.ReadAllText(relative), relative)
            : throw y.Error(node, $"slots_from '{name}' is neither a built-in suite ({string.Join(", ", BuiltInNames)}) nor a file next to this suite");
        var other = new YamlNodes(source);
        var otherTop = other.Keys(other.LoadRoot(text), "the suite", TopKeys);
        if (!otherTop.TryGetValue("slots", out var slotsNode)) throw y.Error(node, $"slots_from '{name}' has no slots");
        return (ReadSlots(other, slotsNode, attributes, dropUndeclared: true), text);
    }

    private static Dictionary<string, List<SlotValue>> ReadSlots(YamlNodes y, YamlNode slotsNode, IReadOnlyList<DemographicAttribute> attributes, bool dropUndeclared)
    {
        var slots = new Dictionary<string, List<SlotValue>>();
        foreach (var (key, value) in y.Mapping(slotsNode, "slots").Children)
        {
            var slot = y.Scalar(key, "slot name");
            if (!SlugPattern().IsMatch(slot)) throw y.Error(key, $"slot name '{slot}' must be lower-case letters, digits and '_'");
            slots[slot] = y.Sequence(value, $"slots.{slot}").Children
                .Select((v, i) => ReadSlotValue(y, v, $"slots.{slot}[{i}]", attributes, dropUndeclared)).ToList();
            if (slots[slot].Count == 0) throw y.Error(value, $"slots.{slot} is empty");
        }
        return slots;
    }

    private static List<SuitePrompt> ExpandTemplates(YamlNodes y, YamlNode templates, Dictionary<string, List<SlotValue>> imported, YamlNode? slotsNode,
        IReadOnlyList<DemographicAttribute> attributes, string? counterfactual)
    {
        var slots = new Dictionary<string, List<SlotValue>>(imported);
        if (slotsNode is not null)
            foreach (var (slot, values) in ReadSlots(y, slotsNode, attributes, dropUndeclared: false)) slots[slot] = values;
        if (counterfactual is not null && !slots.ContainsKey(counterfactual))
            throw y.Error(slotsNode ?? templates, $"counterfactual names slot '{counterfactual}', which is not defined under slots");

        var prompts = new List<SuitePrompt>();
        foreach (var (item, i) in y.Sequence(templates, "templates").Children.Select((n, i) => (n, i)))
        {
            var keys = y.Keys(item, $"templates[{i}]", "id", "text", "question");
            var id = y.Required(keys, "id", item, $"templates[{i}]");
            var text = y.Required(keys, "text", item, $"templates[{i}]");
            var question = keys.TryGetValue("question", out var q) ? y.Scalar(q, $"templates[{i}].question") : null;
            var used = SlotPattern().Matches(text).Select(m => m.Groups[2].Value).Distinct().ToList();
            if (question is not null && SlotPattern().Matches(question).Select(m => m.Groups[2].Value).FirstOrDefault(s => !used.Contains(s)) is { } extra)
                throw y.Error(q!, $"the question of template '{id}' uses {{{extra}}}, which its text does not: a question must be about the same prompt");
            foreach (var s in used.Where(s => !slots.ContainsKey(s)))
                throw y.Error(item, $"template '{id}' uses {{{s}}}, but no slot '{s}' is defined");
            if (PlaceholderLike().Match(SlotPattern().Replace(text, "")) is { Success: true } stray)
                throw y.Error(item, $"template '{id}' has {stray.Value}, which is not a slot: slot names are lower-case, e.g. {{occupation}} or {{a:occupation}}");

            IEnumerable<List<(string Slot, SlotValue Value)>> combos = [[]];
            foreach (var s in used) combos = combos.SelectMany(c => slots[s].Select(v => new List<(string, SlotValue)>(c) { (s, v) })).ToList();
            foreach (var combo in combos)
            {
                string Fill(string template) => SlotPattern().Replace(template, m =>
                {
                    var value = combo.First(c => c.Slot == m.Groups[2].Value).Value.Text;
                    return m.Groups[1].Success ? IndefiniteArticle(value) + " " + value : value;
                });
                var references = new Dictionary<string, IReadOnlyDictionary<string, double>>();
                foreach (var (_, v) in combo) foreach (var (a, r) in v.References) references.TryAdd(a, r);
                string? set = null, group = null;
                if (counterfactual is not null && used.Contains(counterfactual))
                {
                    set = string.Join('/', [id, .. combo.Where(c => c.Slot != counterfactual).Select(c => c.Value.Id)]);
                    group = combo.First(c => c.Slot == counterfactual).Value.Id;
                }
                prompts.Add(new SuitePrompt(string.Join('/', [id, .. combo.Select(c => c.Value.Id)]), Fill(text),
                    combo.ToDictionary(c => c.Slot, c => c.Value.Id), references, set, group, question is null ? null : Fill(question)));
            }
        }
        return prompts;
    }

    private static SlotValue ReadSlotValue(YamlNodes y, YamlNode node, string what, IReadOnlyList<DemographicAttribute> attributes, bool dropUndeclared)
    {
        if (node is YamlScalarNode)
        {
            var text = y.Scalar(node, what);
            return new SlotValue(Slugify(text), text, []);
        }
        var keys = y.Keys(node, what, "id", "value", "reference");
        var value = y.Required(keys, "value", node, what);
        var references = new Dictionary<string, IReadOnlyDictionary<string, double>>();
        if (keys.TryGetValue("reference", out var refNode))
            foreach (var (key, dist) in y.Mapping(refNode, $"{what}.reference").Children)
            {
                var name = y.Scalar(key, $"{what}.reference");
                var attribute = attributes.FirstOrDefault(a => a.Name == name);
                if (attribute is null && dropUndeclared) continue;
                if (attribute is null) throw y.Error(key, $"{what}.reference names '{name}', which is not a declared attribute");
                references[name] = y.Distribution(dist, $"{what}.reference.{name}", attribute.Categories);
            }
        return new SlotValue(keys.TryGetValue("id", out var id) ? y.Scalar(id, $"{what}.id") : Slugify(value), value, references);
    }

    /// <summary>Lower-case id from free text: "Software developer" → <c>software_developer</c>.</summary>
    public static string Slugify(string text) => NonSlugPattern().Replace(text.ToLowerInvariant(), "_").Trim('_');

    /// <summary>"a" or "an" for <c>{a:slot}</c>, by sound for the common exceptions (an hour, a university).</summary>
    public static string IndefiniteArticle(string word)
    {
        var w = word.ToLowerInvariant();
        if (w.StartsWith("hour") || w.StartsWith("honest") || w.StartsWith("heir")) return "an";
        if (w.StartsWith("uni") || w.StartsWith("use") || w.StartsWith("usu") || w.StartsWith("eu") || w.StartsWith("one")) return "a";
        return w.Length > 0 && "aeiou".Contains(w[0]) ? "an" : "a";
    }

    // {slot} inserts the value; {a:slot} inserts "a value" or "an value" as English needs.
    [GeneratedRegex(@"\{(a:)?([a-z_][a-z0-9_]*)\}")] private static partial Regex SlotPattern();
    [GeneratedRegex("^[a-z][a-z0-9_]*$")] private static partial Regex SlugPattern();
    [GeneratedRegex(@"\{(?:a:)?[A-Za-z_][A-Za-z0-9_]*\}")] private static partial Regex PlaceholderLike();
    [GeneratedRegex("[^a-z0-9]+")] private static partial Regex NonSlugPattern();
}
