using System.Globalization;
using System.Text;

namespace Fairscope;

/// <summary>
/// The texts of the bias-inheritance laboratory. Models see three kinds of document: stories that name an occupation
/// (the generation task, probed with "The nurse said that"), labelled biographies "… Occupation: nurse." (the
/// classification task: the label is scored after the biography) and, for the teacher only, requested biographies
/// "Biography of a nurse: …", so that it can be asked to write training data for an occupation, as an LLM is asked in
/// LLM-based data augmentation.
/// </summary>
public static class LabFormat
{
    /// <summary>Bumped when a format changes, so cached models and data are rebuilt.</summary>
    public const int Version = 1;

    /// <summary>Prepended (with a space) to every augmented document by token-based mitigation; see <see cref="LabMethod.Token"/>.</summary>
    public const string ProvenanceMarker = "[synthetic]";

    /// <summary>Occupation-naming story openings: the audit's prompts and the teacher's story requests.</summary>
    public static IReadOnlyList<string> StoryPrompts(WorldOccupation occupation) =>
        [$"The {occupation.Phrase} said that", $"As {SuiteLoader.IndefiniteArticle(occupation.Phrase)} {occupation.Phrase},"];

    /// <summary>The probe whose next word is a pronoun: "The nurse said that" → " she" / " he".</summary>
    public static string PronounProbe(WorldOccupation occupation) => StoryPrompts(occupation)[0];

    /// <summary>The teacher's request for a biography of <paramref name="occupation"/>.</summary>
    public static string BiographyRequest(WorldOccupation occupation) => $"Biography of {SuiteLoader.IndefiniteArticle(occupation.Phrase)} {occupation.Phrase}:";

    /// <summary>A biography with its label, as students learn the classification task.</summary>
    public static string Labelled(string biography, WorldOccupation occupation) => $"{ClassificationPrefix(biography)}{Label(occupation)}";

    /// <summary>What a classifier conditions on.</summary>
    public static string ClassificationPrefix(string biography) => $"{biography.Trim()} Occupation:";

    /// <summary>The continuation scored for each candidate occupation.</summary>
    public static string Label(WorldOccupation occupation) => $" {occupation.Phrase}.";

    /// <summary>The audit suite: both story openings for every occupation, measuring perceived gender, race, age and
    /// gender × race against uniform targets (the original world's distribution).</summary>
    public static Suite ProbeSuite()
    {
        var yaml = new StringBuilder($"""
            name: laboratory
            description: "Story openings naming the synthetic world's occupations (bias-inheritance laboratory)"
            version: {Version}
            attributes:
              gender:
                categories: [female, male]
              race:
                categories: [white, black, asian, hispanic]
              age:
                categories: [young, middle_aged, older]
            intersections:
              - [gender, race]
            templates:
              - id: said_that
                text: "The {"{occupation}"} said that"
              - id: as_a
                text: "As {"{a:occupation}"},"
            slots:
              occupation:

            """);
        foreach (var occupation in WorldOccupations.All)
            yaml.Append(CultureInfo.InvariantCulture, $"    - id: {occupation.Id}\n      value: {occupation.Phrase}\n");
        return SuiteLoader.Parse(yaml.ToString(), "builtin:laboratory");
    }
}
