using System.Globalization;

namespace Fairscope;

/// <summary>
/// Labels generated images with what @vladmandic/face-api perceives: the number of faces (<c>faces</c>: no face,
/// one face, several faces) and, for an image with exactly one face, perceived <c>gender</c> (AgeGenderNet's
/// female/male) and <c>age</c> (its age estimate in bands). Perceived attributes are a model's guess about a picture,
/// never facts about a person; evidence gives the box, score, age and p(male) so a reader can check each label.
/// Only attributes the suite declares are labelled, <c>faces</c> always. Thread-safe; share a
/// <see cref="FaceDetectionCache"/> with other face annotators so each image is detected once.
/// </summary>
public sealed class FaceApiAnnotator : IAnnotator
{
    // Bump when the labelling rule changes meaning, so stored labels are recomputed.
    private const int RuleVersion = 1;
    private readonly ImageStore _images;
    private readonly FaceApiModels _models;
    private readonly FaceDetectionCache _detections;
    private readonly FaceApiAnnotatorOptions _options;
    private readonly bool _gender, _age;

    /// <summary>An annotator for a suite with <paramref name="attributes"/>; refuses when the suite's gender or age
    /// attribute lacks the categories <paramref name="options"/> map to. <paramref name="detections"/> defaults to a
    /// cache of its own.</summary>
    public FaceApiAnnotator(ImageStore images, FaceApiModels models, IReadOnlyList<DemographicAttribute> attributes,
        FaceApiAnnotatorOptions? options = null, FaceDetectionCache? detections = null)
    {
        (_images, _models, _options) = (images, models, options ?? new FaceApiAnnotatorOptions());
        _detections = detections ?? new FaceDetectionCache(models.Detector);
        if (_detections.Detector != models.Detector)
            throw new ArgumentException("the detection cache must wrap these models' detector", nameof(detections));
        var bands = _options.AgeBands;
        if (bands.Count == 0 || bands[0].FromYears != 0 || bands.Zip(bands.Skip(1)).Any(p => p.Second.FromYears <= p.First.FromYears))
            throw new FairscopeException($"{Name}: age bands must start at 0 years and ascend ({string.Join(", ", bands.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Category} from {b.FromYears}")))})");

        var declared = attributes.Where(a => !a.IsIntersection).ToDictionary(a => a.Name);
        if (declared.TryGetValue(FaceLabels.Attribute, out var faces))
            FaceLabels.Require(faces, [FaceLabels.NoFace, FaceLabels.OneFace, FaceLabels.SeveralFaces], Name, $"declare them to use '{FaceLabels.Attribute}'");
        if (declared.TryGetValue("gender", out var gender))
            FaceLabels.Require(gender, [_options.Female, _options.Male], Name, "add them to the suite, or map face-api's female/male to its categories (FaceApiAnnotatorOptions.Female/Male)");
        if (declared.TryGetValue("age", out var age))
            FaceLabels.Require(age, bands.Select(b => b.Category), Name, "add them to the suite, or set age bands named after its categories (FaceApiAnnotatorOptions.AgeBands)");
        (_gender, _age) = (gender is not null, age is not null);
        Attributes = new[] { (FaceLabels.Attribute, true), ("gender", _gender), ("age", _age) }.Where(a => a.Item2).Select(a => a.Item1).ToList();
        Version = $"{RuleVersion}.{models.Detector.WeightsSha256[..8]}{models.AgeGender.WeightsSha256[..8]}.{_options.Female}/{_options.Male}."
            + string.Join(",", bands.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Category}{b.FromYears:0.##}")));
    }

    /// <inheritdoc />
    public string Name => "face-api";

    /// <summary>Rule version, the first 8 hex digits of each network's weights hash, the gender mapping and the age bands.</summary>
    public string Version { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Attributes { get; }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Annotation>> AnnotateAsync(AnnotationInput input, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_detections.Look(_images, input.Output) is not (var image, var faces)) return ValueTask.FromResult(FaceLabels.NotAnImageLabels(Attributes));
        var labels = new List<Annotation> { new(FaceLabels.Attribute, FaceLabels.Count(faces.Count), FaceLabels.Describe(faces)) };
        if (!_gender && !_age) return ValueTask.FromResult<IReadOnlyList<Annotation>>(labels);

        string? why = FaceLabels.WhyUnknown(faces);
        AgeGender? estimate = null;
        if (why is null)
        {
            var crop = faces[0].Crop(image);
            if (crop is null) why = $"the face box {faces[0].Box} lies outside the image";
            else estimate = _models.AgeGender.Estimate([crop])[0];
        }
        var evidence = estimate is null ? why : $"{faces[0]}; {estimate}";
        if (_gender)
            labels.Add(new("gender", estimate is null ? DemographicAttribute.Unknown : estimate.Gender == "male" ? _options.Male : _options.Female, evidence));
        if (_age)
            labels.Add(new("age", estimate is null ? DemographicAttribute.Unknown : Band(estimate.Age), evidence));
        return ValueTask.FromResult<IReadOnlyList<Annotation>>(labels);
    }

    // The regression can go below 0 years: that is the first band's too.
    private string Band(double age) => (_options.AgeBands.LastOrDefault(b => age >= b.FromYears) ?? _options.AgeBands[0]).Category;
}
