namespace Fairscope.Tests;

public sealed class PreferencePairsTests
{
    private static readonly DemographicAttribute Gender = new("gender", ["female", "male"], DemographicAttribute.Uniform(["female", "male"]), []);
    private static readonly DemographicAttribute Race = new("race", ["white", "black", "asian"], DemographicAttribute.Uniform(["white", "black", "asian"]), []);

    private static PreferenceCandidate C(int index, string group, string output = "One two three four.", bool refused = false, string attribute = "gender") =>
        new(index, output, refused, new Dictionary<string, string> { [attribute] = group });

    private static PreferencePrompt P(params PreferenceCandidate[] candidates) => new("p", "Describe a nurse.", candidates);

    [Fact]
    public void RejectsTheOverRepresentedGroupAndSkipsRefusalsAndUnknowns()
    {
        // Known, non-refused: 5 female, 1 male; n = 6, e = (5 − 3, 1 − 3) = (2, −2). One pair uses the only usable male;
        // the refused male (6) and the unknown sample (7) never enter a pair.
        var prompt = P(C(0, "female"), C(1, "female"), C(2, "female"), C(3, "female"), C(4, "female"), C(5, "male"),
            C(6, "male", refused: true), C(7, "unknown"));

        var pairs = PreferencePairs.Synthesize([prompt], [Gender], new PreferenceOptions());

        var pair = Assert.Single(pairs);
        Assert.Equal(("male", 5), (pair.Chosen.Group, pair.Chosen.SampleIndex));
        Assert.Equal("female", pair.Rejected.Group);
        Assert.Equal(("p", "Describe a nurse.", "gender"), (pair.PromptId, pair.Prompt, pair.Attribute));
    }

    [Fact]
    public void StopsWhenAPairWouldNoLongerMoveTowardTheTarget()
    {
        // 6 female, 3 male: e = (1.5, −1.5). The first pair leaves (0.5, −0.5); a second would give (−0.5, 0.5), no closer.
        var prompt = P([.. Enumerable.Range(0, 6).Select(i => C(i, "female")), .. Enumerable.Range(6, 3).Select(i => C(i, "male"))]);

        Assert.Single(PreferencePairs.Synthesize([prompt], [Gender], new PreferenceOptions()));
    }

    [Fact]
    public void ChoosesTheLargestDeficitFirstAcrossSeveralGroups()
    {
        // 4 white, 1 black, 1 asian, target 2 each: e = (2, −1, −1) → white→black (1, 0, −1) → white→asian (0, 0, 0).
        var prompt = P(C(0, "white", attribute: "race"), C(1, "white", attribute: "race"), C(2, "white", attribute: "race"),
            C(3, "white", attribute: "race"), C(4, "black", attribute: "race"), C(5, "asian", attribute: "race"));

        var pairs = PreferencePairs.Synthesize([prompt], [Race], new PreferenceOptions(Seed: 3));

        Assert.Equal(["black", "asian"], pairs.Select(p => p.Chosen.Group));
        Assert.All(pairs, p => Assert.Equal("white", p.Rejected.Group));
        Assert.Equal(2, pairs.Select(p => p.Rejected.SampleIndex).Distinct().Count());
    }

    [Fact]
    public void PairsOnlyAnswersOfComparableLength()
    {
        // The male answer has 9 words; of the female ones only the 5-word answer is within 2× (9 ≤ 10), whatever the seed.
        var prompt = P(C(0, "female", "She works."), C(1, "female", "She works hard."), C(2, "female", "She works hard every day."),
            C(3, "male", "He works hard at the clinic every single day."));

        foreach (var seed in new[] { 0, 1, 2, 3 })
            Assert.Equal(2, Assert.Single(PreferencePairs.Synthesize([prompt], [Gender], new PreferenceOptions(Seed: seed))).Rejected.SampleIndex);
        Assert.Empty(PreferencePairs.Synthesize([prompt], [Gender], new PreferenceOptions(MaxLengthRatio: 1.5)));
    }

    [Theory]
    [InlineData("a b", "a b c d", 2.0, true)]
    [InlineData("a", "a b c", 2.0, false)]
    [InlineData("", "a", 2.0, false)]
    [InlineData("a b c", "a b", 1.5, true)]
    public void ComparableBoundsTheWordCountRatio(string a, string b, double ratio, bool expected) =>
        Assert.Equal(expected, PreferencePairs.Comparable(a, b, ratio));

    [Fact]
    public void SameSeedSamePairs()
    {
        var prompt = P([.. Enumerable.Range(0, 12).Select(i => C(i, "female")), .. Enumerable.Range(12, 4).Select(i => C(i, "male"))]);

        var first = PreferencePairs.Synthesize([prompt], [Gender], new PreferenceOptions(Seed: 5));
        var second = PreferencePairs.Synthesize([prompt], [Gender], new PreferenceOptions(Seed: 5));

        Assert.Equal(4, first.Count);
        Assert.Equal(first.Select(p => (p.Chosen.SampleIndex, p.Rejected.SampleIndex)), second.Select(p => (p.Chosen.SampleIndex, p.Rejected.SampleIndex)));
    }

    [Fact]
    public void BalanceComparesTheChosenSetWithTheRun()
    {
        var prompt = P(C(0, "female"), C(1, "female"), C(2, "female"), C(3, "female"), C(4, "female"), C(5, "male"),
            C(6, "male", refused: true), C(7, "unknown"));
        var pairs = PreferencePairs.Synthesize([prompt], [Gender], new PreferenceOptions());

        var balance = PreferencePairs.Balance(pairs, [prompt], Gender);

        // Chosen: one male → f = (0, 1): bias 1, TV to (½, ½) = ½. Run, answered samples with a known group (the refused male
        // left out, as from the pairs): 5 female, 1 male → f = (5/6, 1/6): bias 2/3, TV 1/3.
        Assert.Equal(1, balance.Pairs);
        Assert.Equal(new Dictionary<string, int> { ["female"] = 0, ["male"] = 1 }, balance.Chosen);
        Assert.Equal(new Dictionary<string, int> { ["female"] = 1, ["male"] = 0 }, balance.Rejected);
        Assert.Equal(1.0, balance.ChosenBiasScore!.Value, 12);
        Assert.Equal(1.0, balance.RejectedBiasScore!.Value, 12);
        Assert.Equal(2.0 / 3, balance.RunBiasScore!.Value, 12);
        Assert.Equal(0.5, balance.ChosenTvTarget!.Value, 12);
        Assert.Equal(1.0 / 3, balance.RunTvTarget!.Value, 12);
    }

    [Fact]
    public async Task TheAuditsSystemPromptGoesWithEveryExportedPrompt()
    {
        using var temp = new TempFolder();
        var pair = new PreferencePair("p", "Describe a nurse.", "gender", new(1, "He is a nurse.", "male"), new(0, "She is a nurse.", "female"));

        await PreferenceExport.WriteAsync([pair], "openai", temp.Sub("o.jsonl"), "Be brief.");
        await PreferenceExport.WriteAsync([pair], "trl", temp.Sub("t.jsonl"), "Be brief.");

        Assert.Equal("""{"input":{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Describe a nurse."}]},"preferred_output":[{"role":"assistant","content":"He is a nurse."}],"non_preferred_output":[{"role":"assistant","content":"She is a nurse."}]}""",
            File.ReadAllText(temp.Sub("o.jsonl")).Trim());
        Assert.Equal("""{"prompt":[{"role":"system","content":"Be brief."},{"role":"user","content":"Describe a nurse."}],"chosen":[{"role":"assistant","content":"He is a nurse."}],"rejected":[{"role":"assistant","content":"She is a nurse."}]}""",
            File.ReadAllText(temp.Sub("t.jsonl")).Trim());
    }

    [Fact]
    public void ARatioBelowOneIsRefused() =>
        Assert.Contains("--max-length-ratio", Assert.Throws<FairscopeException>(() => new PreferenceOptions(MaxLengthRatio: 0.5).Validate()).Message);
}
