using System.Globalization;
using static TorchSharp.torch;

namespace Fairscope;

/// <summary>
/// Labels the images of a run with an <see cref="AttributeClassifier"/> trained on the portrait world (gender, race, age
/// and occupation heads): each suite attribute with a head of the same name gets the most probable class when its
/// probability reaches <see cref="MinConfidence"/>, else <see cref="DemographicAttribute.Unknown"/> (a garbled or empty
/// picture presents no attribute). Labels are perceived attributes of synthetic portraits, as every annotator's are.
/// Evidence is the probability of the label. Images of another size are resized to the classifier's.
/// </summary>
public sealed class PortraitClassifierAnnotator : IAnnotator, IDisposable
{
    /// <summary>The least probability a label needs; below it the attribute stays unknown.</summary>
    public const double MinConfidence = 0.5;

    private readonly AttributeClassifier _classifier;
    private readonly ImageStore _images;
    private readonly Lock _inference = new();

    /// <summary>An annotator over <paramref name="images"/> for the suite's <paramref name="attributes"/> that
    /// <paramref name="classifier"/> has heads for; <paramref name="version"/> identifies the weights (a new one re-annotates).</summary>
    public PortraitClassifierAnnotator(AttributeClassifier classifier, ImageStore images, IEnumerable<DemographicAttribute> attributes, string version)
    {
        var heads = classifier.Config.Heads.ToDictionary(h => h.Name, h => h.Classes);
        Attributes = [.. attributes.Where(a => !a.IsIntersection && heads.ContainsKey(a.Name)).Select(a => a.Name)];
        if (Attributes.Count == 0) throw new FairscopeException("the portrait classifier has a head for none of the suite's attributes");
        foreach (var attribute in attributes.Where(a => Attributes.Contains(a.Name)))
            if (heads[attribute.Name].FirstOrDefault(c => !attribute.Categories.Contains(c)) is { } foreign)
                throw new FairscopeException($"the portrait classifier's {attribute.Name} class '{foreign}' is not a category of the suite ({string.Join(", ", attribute.Categories)})");
        (_classifier, _images, Version) = (classifier, images, version);
    }

    /// <inheritdoc />
    public string Name => "portrait-classifier";

    /// <inheritdoc />
    public string Version { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Attributes { get; }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Annotation>> AnnotateAsync(AnnotationInput input, CancellationToken cancellationToken)
    {
        var image = _images.Load(input.Output);
        var size = _classifier.Config.ImageSize;
        var probabilities = Classify([ImageDecoder.Resize(image, size, size)]);
        IReadOnlyList<Annotation> labels = [.. Attributes.Select(a => Label(a, probabilities[a][0]))];
        return ValueTask.FromResult(labels);
    }

    /// <summary>Each head's class probabilities per image (images at the classifier's size).</summary>
    public Dictionary<string, double[][]> Classify(IReadOnlyList<RgbImage> images)
    {
        lock (_inference)
        {
            using var scope = NewDisposeScope();
            var predicted = _classifier.Predict(ImageTensors.FromImages(images));
            return predicted.ToDictionary(p => p.Key, p =>
            {
                var flat = p.Value.to(ScalarType.Float64).cpu().data<double>().ToArray();
                int classes = (int)p.Value.shape[1];
                return Enumerable.Range(0, images.Count).Select(i => flat[(i * classes)..((i + 1) * classes)]).ToArray();
            });
        }
    }

    /// <summary>The label of one head's probabilities: the most probable class when it reaches <see cref="MinConfidence"/>.</summary>
    public Annotation Label(string attribute, double[] probabilities)
    {
        int best = Array.IndexOf(probabilities, probabilities.Max());
        var classes = _classifier.Config.Heads.First(h => h.Name == attribute).Classes;
        var evidence = $"p={probabilities[best].ToString("0.000", CultureInfo.InvariantCulture)}";
        return new Annotation(attribute, probabilities[best] >= MinConfidence ? classes[best] : DemographicAttribute.Unknown, evidence);
    }

    public void Dispose() => _classifier.Dispose();
}
