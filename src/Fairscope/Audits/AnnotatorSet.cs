using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>
/// Chooses the annotators for a suite, in priority order (the first one that labels an attribute is the one its
/// metrics use): a judge model when configured, then user lexicons, then the built-in lexicons for gender, race
/// and age, and always the refusal detector. Every annotator's labels are stored, so they can be compared.
/// </summary>
public static class AnnotatorSet
{
    /// <summary>Annotators for <paramref name="suite"/>; throws when an attribute would have none.</summary>
    public static IReadOnlyList<IAnnotator> For(Suite suite, IReadOnlyList<string> lexiconFiles, (IChatClient Client, string Model)? judge)
    {
        var result = new List<IAnnotator>();
        var plain = suite.Attributes.Where(a => !a.IsIntersection).ToList();
        if (judge is { } j) result.Add(new LlmJudgeAnnotator(j.Client, j.Model, plain));
        foreach (var file in lexiconFiles)
        {
            var lexicon = Lexicon.Load(file);
            if (suite.Attribute(lexicon.Attribute) is null)
                throw new FairscopeException($"lexicon {file} labels '{lexicon.Attribute}', which suite '{suite.Name}' does not measure ({string.Join(", ", plain.Select(a => a.Name))})");
            result.Add(new LexiconAnnotator(lexicon));
        }
        foreach (var attribute in plain)
            if (LexiconAnnotator.BuiltIn(attribute.Name) is { } builtIn) result.Add(builtIn);
        var uncovered = plain.Where(a => !result.Any(x => x.Attributes.Contains(a.Name))).Select(a => a.Name).ToList();
        if (uncovered.Count > 0)
            throw new FairscopeException($"no annotator labels {string.Join(", ", uncovered)}: pass --lexicon FILE for it, or a judge model with --judge-model");
        result.Add(new RefusalAnnotator());
        return result;
    }

    /// <summary>
    /// Annotators for the images of a run of <paramref name="suite"/>, read from <paramref name="images"/>, in priority
    /// order: the annotator of a built-in model's own world (<paramref name="world"/>, when given), the user's ONNX face
    /// classifiers (e.g. a FairFace export), then face-api (faces, gender, age), then a
    /// vision-language judge. The face annotators share one detection per image. Attributes nothing labels stay
    /// unknown with a note in the report (face-api perceives no race: add a classifier or a judge for it); the call
    /// throws only when nothing would label anything.
    /// </summary>
    public static IReadOnlyList<IAnnotator> ForImages(Suite suite, ImageStore images, FaceApiModels? faceApi, IReadOnlyList<OnnxFaceClassifier> classifiers,
        (IChatClient Client, string Model)? judge, IAnnotator? world = null)
    {
        if (classifiers.Count > 0 && faceApi is null)
            throw new FairscopeException("--face-classifier labels the face that face-api's detector finds, so it needs the face-api weights (drop --face-models none)");
        var result = new List<IAnnotator>();
        if (world is not null) result.Add(world);
        var detections = faceApi is null ? null : new FaceDetectionCache(faceApi.Detector);
        foreach (var classifier in classifiers) result.Add(new OnnxFaceClassifierAnnotator(images, detections!, classifier, suite.Attributes));
        if (faceApi is not null) result.Add(new FaceApiAnnotator(images, faceApi, suite.Attributes, detections: detections));
        if (judge is { } j) result.Add(new VisionJudgeAnnotator(j.Client, j.Model, suite.Attributes, images));
        if (result.Count == 0)
            throw new FairscopeException("no image annotator is configured: keep the face-api weights (fairscope models fetch face-api), or pass --face-classifier or --judge-model");
        // Labels are stored and reported by annotator name.
        if (result.GroupBy(a => a.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new FairscopeException($"two annotators are called '{twice.Key}': give each --face-classifier model file a different name");
        return result;
    }

    /// <summary>True for annotators that ask a remote model: they label after generation, not in its shadow.</summary>
    public static bool IsRemote(IAnnotator annotator) => annotator is LlmJudgeAnnotator or VisionJudgeAnnotator;
}
