using YamlDotNet.RepresentationModel;

namespace Fairscope;

/// <summary>
/// The YAML sidecar that tells Fairscope how to feed a user's ONNX face classifier and read its outputs (the file next
/// to <c>model.onnx</c> called <c>model.yaml</c>; format in docs/annotators.md). Each detected face is cropped as the
/// square of side max(width, height) × (1 + 2·<see cref="Margin"/>) centred on its box (black beyond the image),
/// resized to <see cref="Size"/>² (bilinear, half-pixel centres as OpenCV and PyTorch), scaled, normalised per channel
/// and laid out as the model expects.
/// </summary>
public sealed record OnnxFaceClassifierSpec(
    string InputName,
    int Size,
    TensorLayout Layout,
    bool Bgr,
    float Scale,
    IReadOnlyList<float> Mean,
    IReadOnlyList<float> Std,
    double Margin,
    IReadOnlyList<OnnxClassifierHead> Heads)
{
    /// <summary>Where the spec was read from (errors name it).</summary>
    public string Origin { get; init; } = "";

    /// <summary>The YAML the spec was parsed from (part of the classifier's hash).</summary>
    public string Text { get; init; } = "";

    /// <summary>Reads a sidecar file.</summary>
    public static OnnxFaceClassifierSpec Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FairscopeException($"{path}: the face classifier's YAML sidecar is missing or unreadable ({e.Message}); write one next to the .onnx file (docs/annotators.md)");
        }
        return Parse(text, path);
    }

    /// <summary>Parses sidecar YAML; <paramref name="origin"/> names it in errors (file:line).</summary>
    public static OnnxFaceClassifierSpec Parse(string yaml, string origin)
    {
        var y = new YamlNodes(origin);
        var root = y.LoadRoot(yaml);
        var top = y.Keys(root, "the sidecar", "input", "crop", "heads");
        var input = y.Keys(top.TryGetValue("input", out var i) ? i : throw y.Error(root, "the sidecar needs 'input'"), "input",
            "name", "size", "layout", "channels", "scale", "mean", "std");
        var size = input.TryGetValue("size", out var s) ? y.Integer(s, "input.size") : throw y.Error(root, "input needs 'size'");
        if (size is < 1 or > 4096) throw y.Error(input["size"], "input.size must be between 1 and 4096 pixels");
        var layout = Choice(y, input, "layout", "nchw", ["nchw", "nhwc"]) == "nchw" ? TensorLayout.Nchw : TensorLayout.Nhwc;
        var bgr = Choice(y, input, "channels", "rgb", ["rgb", "bgr"]) == "bgr";
        var scale = input.TryGetValue("scale", out var sc) ? (float)y.Number(sc, "input.scale") : 1f;
        var mean = Triple(y, input, "mean", 0);
        var std = Triple(y, input, "std", 1);
        if (std.Any(v => v == 0)) throw y.Error(input["std"], "input.std must not contain 0");

        double margin = 0;
        if (top.TryGetValue("crop", out var cropNode))
        {
            var crop = y.Keys(cropNode, "crop", "margin");
            if (crop.TryGetValue("margin", out var m) && (margin = y.Number(m, "crop.margin")) is < 0 or > 2)
                throw y.Error(m, "crop.margin must be between 0 and 2 (a fraction of the face's size added on each side)");
        }

        var headNodes = y.Sequence(top.TryGetValue("heads", out var h) ? h : throw y.Error(root, "the sidecar needs 'heads'"), "heads");
        if (headNodes.Children.Count == 0) throw y.Error(headNodes, "heads must list at least one head");
        var heads = headNodes.Children.Select((node, n) => Head(y, node, $"heads[{n}]")).ToList();
        var twice = heads.GroupBy(x => x.Attribute).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw y.Error(headNodes, $"two heads label '{twice.Key}'; give each attribute one head");

        return new OnnxFaceClassifierSpec(y.Required(input, "name", root, "input"), size, layout, bgr, scale, mean, std, margin, heads) { Origin = origin, Text = yaml };
    }

    private static OnnxClassifierHead Head(YamlNodes y, YamlNode node, string what)
    {
        var keys = y.Keys(node, what, "output", "from", "attribute", "labels", "map", "softmax");
        var from = keys.TryGetValue("from", out var f) ? y.Integer(f, $"{what}.from") : 0;
        if (from < 0) throw y.Error(f!, $"{what}.from must not be negative");
        var labels = keys.TryGetValue("labels", out var l) ? y.Strings(l, $"{what}.labels") : throw y.Error(node, $"{what} needs 'labels'");
        if (labels.Count < 2 || labels.Distinct().Count() != labels.Count)
            throw y.Error(l, $"{what}.labels must list at least two distinct labels, one per output value");
        var map = new Dictionary<string, string>();
        if (keys.TryGetValue("map", out var mapNode))
            foreach (var (key, value) in y.Mapping(mapNode, $"{what}.map").Children)
            {
                var label = y.Scalar(key, $"{what}.map");
                if (!labels.Contains(label)) throw y.Error(key, $"{what}.map names '{label}', which is not one of its labels ({string.Join(", ", labels)})");
                map[label] = y.Scalar(value, $"{what}.map.{label}");
            }
        var softmax = !keys.TryGetValue("softmax", out var sm) || Choice(y, sm, $"{what}.softmax", ["true", "false"]) == "true";
        return new OnnxClassifierHead(y.Required(keys, "output", node, what), from, y.Required(keys, "attribute", node, what), labels, map, softmax);
    }

    private static string Choice(YamlNodes y, Dictionary<string, YamlNode> keys, string key, string fallback, string[] allowed) =>
        keys.TryGetValue(key, out var node) ? Choice(y, node, $"input.{key}", allowed) : fallback;

    private static string Choice(YamlNodes y, YamlNode node, string what, string[] allowed)
    {
        var value = y.Scalar(node, what).ToLowerInvariant();
        return allowed.Contains(value) ? value : throw y.Error(node, $"{what} must be {string.Join(" or ", allowed)}, not '{value}'");
    }

    private static float[] Triple(YamlNodes y, Dictionary<string, YamlNode> keys, string key, float fallback)
    {
        if (!keys.TryGetValue(key, out var node)) return [fallback, fallback, fallback];
        var values = y.Sequence(node, $"input.{key}").Children.Select((c, n) => (float)y.Number(c, $"input.{key}[{n}]")).ToArray();
        return values.Length == 3 ? values : throw y.Error(node, $"input.{key} must list 3 numbers, one per channel in the model's order");
    }

    /// <summary>The pixel pipeline this spec describes (half-pixel centres: the resize OpenCV and PyTorch use).</summary>
    internal PixelFormat Format => new(Size, Scale, [.. Mean], [.. Std], Bgr, Layout, HalfPixelCenters: true);

    /// <summary>The square crop window for a face box: side max(w, h)·(1 + 2·margin), centred, in whole pixels.</summary>
    internal (int Left, int Top, int Side) Window(FaceBox box)
    {
        var side = Math.Max(1, (int)Math.Round(Math.Max(box.Width, box.Height) * (1 + 2 * Margin)));
        return ((int)Math.Floor(box.X + box.Width / 2 - side / 2.0), (int)Math.Floor(box.Y + box.Height / 2 - side / 2.0), side);
    }
}
