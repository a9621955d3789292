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

    /// <summary>Annotators for the images of a run of <paramref name="suite"/>, read from <paramref name="images"/>.
    /// None exists yet, so this throws: image runs stop before generating instead of producing samples nothing can label.</summary>
    public static IReadOnlyList<IAnnotator> ForImages(Suite suite, ImageStore images) =>
        throw new FairscopeException($"no image annotator is configured yet, so suite '{suite.Name}' cannot be audited on images in {images.RunFolder}");
}
