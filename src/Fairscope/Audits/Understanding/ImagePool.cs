namespace Fairscope;

/// <summary>An image with the perceived labels an annotator gave it, per attribute.</summary>
/// <param name="PromptId">The prompt it was generated for; null for a reference set's image.</param>
public sealed record LabelledImage(string Reference, IReadOnlyDictionary<string, string> Labels, string? PromptId = null);

/// <summary>
/// Images with perceived labels from which an understanding probe draws balanced sets: one image per category of an
/// attribute. Either the generation run's own images as its annotators labelled them, or a reference set the user
/// labelled (a CSV manifest; e.g. a balanced face set), copied into the run's <see cref="ImageStore"/>.
/// </summary>
public sealed class ImagePool
{
    private ImagePool(IReadOnlyList<LabelledImage> images, string source) => (Images, Source) = (images, source);

    /// <summary>The images, in a stable order.</summary>
    public IReadOnlyList<LabelledImage> Images { get; }

    /// <summary>Where the pool came from, <c>run</c> or <c>manifest</c> (recorded with the understanding run).</summary>
    public string Source { get; }

    /// <summary>Images of <paramref name="attribute"/>'s category <paramref name="category"/>; when <paramref name="notFrom"/>
    /// is given, those generated for other prompts if there are any, so a question about nurses is not answered with
    /// the model's own nurses (their occupational cues would pull understanding toward generation).</summary>
    public IReadOnlyList<LabelledImage> Of(string attribute, string category, string? notFrom = null)
    {
        var all = Images.Where(i => i.Labels.TryGetValue(attribute, out var l) && l == category).ToList();
        var others = notFrom is null ? all : all.Where(i => i.PromptId != notFrom).ToList();
        return others.Count > 0 ? others : all;
    }

    /// <summary>True when every category of <paramref name="attribute"/> has at least one image, so a balanced set exists.</summary>
    public bool Covers(DemographicAttribute attribute) => attribute.Categories.All(c => Of(attribute.Name, c).Count > 0);

    /// <summary>The generation run's successful image samples, each labelled by the first annotator in
    /// <paramref name="annotators"/> that labels the attribute (the same rule the metrics use).</summary>
    public static ImagePool FromRun(IReadOnlyList<SampleRecord> samples, IReadOnlyList<AnnotationRecord> annotations, Suite suite,
        IReadOnlyList<IAnnotator> annotators)
    {
        var plain = suite.Attributes.Where(a => !a.IsIntersection).ToList();
        var primary = plain.Select(a => (a.Name, Annotator: annotators.FirstOrDefault(x => x.Attributes.Contains(a.Name))))
            .Where(x => x.Annotator is not null).ToDictionary(x => x.Name, x => x.Annotator!);
        var labels = annotations.Where(a => primary.TryGetValue(a.Attribute, out var p) && p.Name == a.Annotator && p.Version == a.AnnotatorVersion)
            .ToLookup(a => (a.PromptId, a.SampleIndex));
        var images = samples.Where(s => s.Ok && ImageStore.IsReference(s.Output))
            .OrderBy(s => s.PromptId, StringComparer.Ordinal).ThenBy(s => s.SampleIndex)
            .Select(s => new LabelledImage(s.Output!, labels[(s.PromptId, s.SampleIndex)].ToDictionary(a => a.Attribute, a => a.Label), s.PromptId))
            .DistinctBy(i => i.Reference).ToList();
        return new ImagePool(images, "run");
    }

    /// <summary>A labelled reference set: CSV with a <c>file</c> column (paths relative to the CSV) and one column per
    /// attribute holding a declared category or <c>unknown</c>. Images are checked and copied into <paramref name="store"/>.</summary>
    public static ImagePool FromManifest(string path, Suite suite, ImageStore store)
    {
        var manifest = ImageManifest.Read(path);
        var columns = manifest.Header.Select(name => suite.Attribute(name)).OfType<DemographicAttribute>().ToList();
        if (columns.Count == 0)
            throw new FairscopeException($"{path}:1: no column names an attribute of suite '{suite.Name}' ({string.Join(", ", suite.Attributes.Where(a => !a.IsIntersection).Select(a => a.Name))})");
        var images = new List<LabelledImage>();
        foreach (var row in manifest.Rows)
        {
            var labels = new Dictionary<string, string>();
            foreach (var attribute in columns)
            {
                var label = row.Fields[attribute.Name].Trim();
                if (label != DemographicAttribute.Unknown && !attribute.Categories.Contains(label))
                    throw new FairscopeException($"{row.Where}: {attribute.Name} '{label}' is not one of {string.Join(", ", attribute.Categories)} or unknown");
                labels[attribute.Name] = label;
            }
            var bytes = File.ReadAllBytes(row.File);
            ImageDecoder.Decode(bytes, $"{row.Where}: {row.File}");
            images.Add(new LabelledImage(store.Put(bytes, row.Where), labels));
        }
        return new ImagePool(images.DistinctBy(i => i.Reference).ToList(), "manifest");
    }
}
