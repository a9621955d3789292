namespace Fairscope.Tests;

/// <summary>What each mitigation does to a student's training examples.</summary>
public sealed class StudentDataTests
{
    private static readonly TextTokenizer Tokenizer = TinyModels.Tokenizer();
    private static readonly WorldOccupation Nurse = WorldOccupations.All.First(o => o.Id == "registered_nurse");
    private const string Story = "The nurse said that she would record vital signs before noon. Mary Olson is a 42-year-old nurse.";

    private static IReadOnlyList<LabDocument> Mix() =>
        [new(Story, LabDocument.Story, Nurse, Augmented: false), new(Story, LabDocument.Story, Nurse, Augmented: true)];

    [Fact]
    public void Token_based_prefixes_only_augmented_documents_with_a_marker_that_is_never_learned()
    {
        var (examples, resampler) = StudentData.Examples(Tokenizer, LabMethod.Token, Mix(), seed: 0);
        var marker = Tokenizer.Encode(LabFormat.ProvenanceMarker);
        Assert.Null(resampler);
        Assert.Null(examples[0].Weights);
        Assert.Equal(marker, examples[1].Tokens.Take(marker.Length));
        Assert.All(Enumerable.Range(0, marker.Length), i => Assert.Equal(0f, examples[1].WeightAt(i)));
        Assert.Equal(1f, examples[1].WeightAt(marker.Length + 1));
    }

    [Fact]
    public void Mask_based_zeroes_the_demographic_tokens_of_augmented_documents_only()
    {
        var (examples, _) = StudentData.Examples(Tokenizer, LabMethod.Mask, Mix(), seed: 0);
        Assert.Null(examples[0].Weights);
        var (ids, offsets) = Tokenizer.EncodeWithOffsets(Story);
        string TextOf(int i) => Story.Substring(offsets[i].Start, offsets[i].Length);
        var masked = string.Concat(Enumerable.Range(0, ids.Length).Where(i => examples[1].WeightAt(i) == 0).Select(TextOf));
        Assert.Contains("she", masked);
        Assert.Contains("Mary", masked);
        Assert.Contains("Olson", masked);
        Assert.Contains("42", masked);
        Assert.DoesNotContain("vital", masked);
    }

    [Fact]
    public void Reweighing_gives_the_documents_of_an_over_represented_gender_less_weight()
    {
        var he = Story.Replace(" she ", " he ").Replace("Mary", "James");
        IReadOnlyList<LabDocument> mix = [new(Story, LabDocument.Story, Nurse, false), new(Story, LabDocument.Story, Nurse, false), new(he, LabDocument.Story, Nurse, false)];
        var (examples, _) = StudentData.Examples(Tokenizer, LabMethod.Reweigh, mix, seed: 0);
        // One occupation: P(y) = 1, so w = P(g)/P(g|y) = 1 for every document.
        Assert.All(examples, e => Assert.Equal(1f, e.WeightAt(1)));
    }

    [Fact]
    public void Counterfactual_data_adds_rewrites_of_augmented_documents()
    {
        var (examples, _) = StudentData.Examples(Tokenizer, LabMethod.Counterfactual, Mix(), seed: 0);
        Assert.Equal(2 + LabMethod.CounterfactualVariants, examples.Count);
        Assert.All(examples.Skip(2), e => Assert.NotEqual(examples[0].Tokens, e.Tokens));
    }

    [Fact]
    public void Anti_stereotype_debiasing_comes_with_its_epoch_resampler()
    {
        var (examples, resampler) = StudentData.Examples(Tokenizer, LabMethod.AntiStereotype, Mix(), seed: 0);
        Assert.Equal(2, examples.Count);
        Assert.NotNull(resampler);
        Assert.All(resampler!.NextEpoch(new Random(0)), i => Assert.InRange(i, 0, 1));
    }

    [Fact]
    public void Preference_sets_pair_the_female_and_male_versions_of_a_story_after_its_probe()
    {
        var sets = StudentData.PreferenceSets(Tokenizer, Mix(), perOccupation: 8, contextLength: 128, seed: 0);
        var set = Assert.Single(sets.Take(1));
        Assert.Equal(Tokenizer.Encode(LabFormat.PronounProbe(Nurse)), set.Prompt);
        Assert.StartsWith(" she would", Tokenizer.Decode(set.Completions[0]));
        Assert.StartsWith(" he would", Tokenizer.Decode(set.Completions[1]));
    }

    [Fact]
    public void Unknown_mitigations_are_named_in_the_error()
    {
        var error = Assert.Throws<FairscopeException>(() => LabMethod.Parse("magic"));
        Assert.Contains("token, mask, reweigh, asd, counterfactual, bpo", error.Message);
    }
}
