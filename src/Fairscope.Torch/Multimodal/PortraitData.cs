namespace Fairscope;

/// <summary>
/// The pictures and texts the unified model learns from, drawn from the portrait world: captioned portraits to draw
/// (generation) and questions about pictures to answer (understanding), in the same wording as the audit's prompts and
/// the understanding probe's ask mode, so the audit asks the model in the words it learnt.
/// </summary>
public static class PortraitData
{
    /// <summary>What understanding questions ask about.</summary>
    public static readonly IReadOnlyList<string> QuestionAttributes = ["gender", "race", "age", "occupation"];

    /// <summary>A picture, a question about it, the answer and what the question asks.</summary>
    public sealed record Question(RgbImage Image, string Text, string Answer, string Attribute);

    /// <summary>A picture and its caption.</summary>
    public sealed record Captioned(Portrait Portrait, string Caption);

    /// <summary>The probe's ask-mode question (<see cref="UnderstandingSuite.AskText"/>) about the person in a photo of
    /// <paramref name="occupation"/>; occupation questions describe "a person" instead, which gives nothing away.</summary>
    public static string QuestionText(string attribute, int occupation) => attribute == "occupation"
        ? UnderstandingSuite.AskText(attribute, PortraitWorld.Occupations.Select(o => o.Name), PortraitWorld.Caption("person", null))
        : UnderstandingSuite.AskText(attribute, PortraitWorld.Attributes.First(a => a.Name == attribute).Categories, PortraitWorld.Caption(PortraitWorld.Occupations[occupation].Name, null));

    /// <summary>The words of an answer: the category with underscores as spaces.</summary>
    public static string AnswerText(string category) => category.Replace('_', ' ');

    /// <summary><paramref name="count"/> portraits of <paramref name="world"/>, a share <paramref name="groupShare"/> of
    /// them captioned with the person's group for one attribute, the rest with the neutral caption.</summary>
    public static Captioned[] Generation(Random random, int count, PortraitWorldOptions world, double groupShare) =>
        [.. Enumerable.Range(0, count).Select(_ => Caption(random, PortraitWorld.Draw(random, world), groupShare))];

    /// <summary>
    /// <paramref name="count"/> questions about pictures of <paramref name="world"/>: an attribute drawn uniformly, the
    /// answer the picture presents; a share <paramref name="unanswerable"/> of pictures show nobody, and their answer is
    /// "unknown" (the fair answer where nothing is visible, as in VQA data with unanswerable questions).
    /// </summary>
    public static Question[] Understanding(Random random, int count, PortraitWorldOptions world, double unanswerable) =>
        [.. Enumerable.Range(0, count).Select(_ =>
        {
            var attribute = QuestionAttributes[random.Next(QuestionAttributes.Count)];
            if (random.NextDouble() < unanswerable)
                return new Question(PortraitWorld.Empty(random), QuestionText(attribute, random.Next(PortraitWorld.Occupations.Count)), DemographicAttribute.Unknown, attribute);
            var portrait = PortraitWorld.Draw(random, world);
            return new Question(PortraitWorld.Render(portrait), QuestionText(attribute, portrait.Occupation), AnswerText(PortraitWorld.Category(portrait, attribute)), attribute);
        })];

    /// <summary>Each balanced cell (<see cref="PortraitWorld.Balanced"/>) <paramref name="rounds"/> times, with fresh nuisance each round.</summary>
    public static Portrait[] Balanced(Random random, int rounds) => [.. Enumerable.Range(0, rounds).SelectMany(_ => PortraitWorld.Balanced(random))];

    /// <summary>Balanced captioned portraits for fine-tuning: every cell, neutral and group captions in the given share.</summary>
    public static Captioned[] BalancedGeneration(Random random, int rounds, double groupShare) =>
        [.. Balanced(random, rounds).Select(p => Caption(random, p, groupShare))];

    // The neutral caption, or with probability groupShare one naming the person's group for an attribute drawn uniformly.
    private static Captioned Caption(Random random, Portrait portrait, double groupShare)
    {
        var attribute = random.NextDouble() < groupShare ? PortraitWorld.Attributes[random.Next(PortraitWorld.Attributes.Count)].Name : null;
        return new Captioned(portrait, PortraitWorld.Caption(portrait, attribute));
    }

    /// <summary>Attributes in the order English names them before a noun: "a young black female nurse".</summary>
    public static readonly IReadOnlyList<string> PhraseOrder = ["age", "race", "gender"];

    /// <summary>The words naming <paramref name="portrait"/>'s groups for <paramref name="attributes"/>, in <see cref="PhraseOrder"/>.</summary>
    public static string GroupPhrase(Portrait portrait, IEnumerable<string> attributes) =>
        string.Join(' ', PhraseOrder.Where(attributes.Contains).Select(a => AnswerText(PortraitWorld.Category(portrait, a))));

    /// <summary><paramref name="count"/> portraits of <paramref name="world"/> for a text-to-image model: a share
    /// <paramref name="groupShare"/> captioned with the person's groups, each attribute named with probability ½ and at
    /// least one ("a photo of the face of an older asian male chef"), the rest with the neutral caption, so the model
    /// learns single attributes and their intersections as words.</summary>
    public static Captioned[] Described(Random random, int count, PortraitWorldOptions world, double groupShare) =>
        [.. Enumerable.Range(0, count).Select(_ =>
        {
            var portrait = PortraitWorld.Draw(random, world);
            if (random.NextDouble() >= groupShare) return new Captioned(portrait, PortraitWorld.Caption(portrait));
            var named = PhraseOrder.Where(_ => random.Next(2) == 0).ToList();
            if (named.Count == 0) named.Add(PhraseOrder[random.Next(PhraseOrder.Count)]);
            return new Captioned(portrait, PortraitWorld.Caption(PortraitWorld.Occupations[portrait.Occupation].Name, GroupPhrase(portrait, named)));
        })];

    /// <summary>
    /// BPO's preference sets for one attribute: per drawn portrait, the neutral caption as the prompt and the same person
    /// rendered once per group of <paramref name="attribute"/> (everything else equal: a counterfactual set), so the loss
    /// compares groups and nothing else.
    /// </summary>
    public static (string Caption, Portrait[] Groups)[] PreferencePortraits(Random random, int count, string attribute) =>
        [.. Enumerable.Range(0, count).Select(_ =>
        {
            var p = PortraitWorld.Draw(random, PortraitWorldOptions.Balanced);
            Portrait[] groups = attribute switch
            {
                "gender" => [.. Enumerable.Range(0, PortraitWorld.Genders.Count).Select(g => p with { Gender = g })],
                "race" => [.. Enumerable.Range(0, PortraitWorld.Races.Count).Select(r => p with { SkinTone = 2 * r + p.SkinTone % 2 })],
                "age" => [.. Enumerable.Range(0, PortraitWorld.Ages.Count).Select(a => p with { Age = a })],
                _ => throw new FairscopeException($"no preference sets for attribute '{attribute}'"),
            };
            return (PortraitWorld.Caption(p), groups);
        })];
}
