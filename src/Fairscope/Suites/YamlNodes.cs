using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Fairscope;

/// <summary>
/// Strict readers over YamlDotNet's node tree: every error names the file and line, and unknown keys are
/// errors rather than silently ignored (a typo like <c>taget:</c> must not fall back to a default).
/// Shared by every YAML format Fairscope reads (suites, lexicons).
/// </summary>
internal sealed class YamlNodes(string file)
{
    public string File { get; } = file;

    public YamlMappingNode LoadRoot(string text)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e) { throw Error(e.Start.Line, $"invalid YAML: {FirstLine(e.InnerException?.Message ?? e.Message)}"); }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw Error(1, "expected a mapping at the top of the file");
        return root;
    }

    public FairscopeException Error(YamlNode node, string message) => Error(node.Start.Line, message);

    public FairscopeException Error(long line, string message) => new($"{File}:{line}: {message}");

    /// <summary>Children of <paramref name="node"/> by key; throws on keys outside <paramref name="allowed"/>.</summary>
    public Dictionary<string, YamlNode> Keys(YamlNode node, string what, params string[] allowed)
    {
        var map = Mapping(node, what);
        var result = new Dictionary<string, YamlNode>();
        foreach (var (key, value) in map.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? throw Error(key, $"keys in {what} must be plain text");
            if (!allowed.Contains(name))
                throw Error(key, $"unknown key '{name}' in {what}; expected one of: {string.Join(", ", allowed)}");
            result[name] = value;
        }
        return result;
    }

    public YamlMappingNode Mapping(YamlNode node, string what) =>
        node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping (key: value)");

    public YamlSequenceNode Sequence(YamlNode node, string what) =>
        node as YamlSequenceNode ?? throw Error(node, $"{what} must be a list");

    public string Scalar(YamlNode node, string what)
    {
        var value = (node as YamlScalarNode)?.Value;
        if (string.IsNullOrWhiteSpace(value)) throw Error(node, $"{what} must be a non-empty text value");
        return value;
    }

    public string Required(Dictionary<string, YamlNode> keys, string key, YamlNode parent, string what) =>
        keys.TryGetValue(key, out var node) ? Scalar(node, $"{what}.{key}") : throw Error(parent, $"{what} needs '{key}'");

    public int Integer(YamlNode node, string what) =>
        int.TryParse(Scalar(node, what), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v : throw Error(node, $"{what} must be a whole number");

    public double Number(YamlNode node, string what) =>
        double.TryParse(Scalar(node, what), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v : throw Error(node, $"{what} must be a number");

    public List<string> Strings(YamlNode node, string what) =>
        Sequence(node, what).Children.Select((c, i) => Scalar(c, $"{what}[{i}]")).ToList();

    /// <summary>A category → share map that must cover exactly <paramref name="categories"/> and sum to 1.</summary>
    public Dictionary<string, double> Distribution(YamlNode node, string what, IReadOnlyList<string> categories)
    {
        var map = Mapping(node, what);
        var result = new Dictionary<string, double>();
        foreach (var (key, value) in map.Children)
        {
            var category = Scalar(key, what);
            if (!categories.Contains(category))
                throw Error(key, $"{what} names '{category}', which is not a declared category ({string.Join(", ", categories)})");
            var share = Number(value, $"{what}.{category}");
            if (share < 0) throw Error(value, $"{what}.{category} must not be negative");
            result[category] = share;
        }
        var missing = categories.Where(c => !result.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            throw Error(node, $"{what} gives no share for {string.Join(", ", missing)}; list every category (0 is allowed)");
        var sum = result.Values.Sum();
        if (Math.Abs(sum - 1) > 1e-3)
            throw Error(node, $"{what} sums to {sum.ToString("0.####", CultureInfo.InvariantCulture)}; shares must sum to 1");
        return result;
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
