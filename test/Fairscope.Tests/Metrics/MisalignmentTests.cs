namespace Fairscope.Tests;

public sealed class MisalignmentTests
{
    [Fact]
    public void AMixAveragesThePerDocumentCounts() =>
        Assert.Equal([0.75, 0.25], Misalignment.Mix([1.0, 0.0], [0.0, 1.0], 0.25));

    [Fact]
    public void GroupMisalignmentOfAMixUsesOnlyLabelledDocuments()
    {
        // Original: a quarter female, a quarter male, half unknown; augmented: 0.9 female, 0.1 male. At γ = ½ the mix
        // averages (0.575, 0.175): shares (23/30, 7/30), total variation to (½, ½) = 23/30 − ½ = 4/15.
        var mix = Misalignment.Mix([0.25, 0.25], [0.9, 0.1], 0.5);

        Assert.Equal(4.0 / 15, Misalignment.TotalVariation(mix, [0.25, 0.25]), 12);
        // With equal labelled rates the distance grows linearly: TV(mix_γ, original) = γ · TV(augmented, original).
        Assert.Equal(0.2 * 0.5, Misalignment.TotalVariation(Misalignment.Mix([0.5, 0.5], [1.0, 0.0], 0.2), [0.5, 0.5]), 12);
        Assert.True(double.IsNaN(Misalignment.TotalVariation([0.0, 0.0], [0.5, 0.5])));
        Assert.Equal(0.0, Misalignment.JensenShannon([0.2, 0.2], [0.5, 0.5]), 12); // same shares, different labelled rates
    }

    [Fact]
    public void ValuesGapIsTheLargestDifferenceOfNegativeShares()
    {
        Assert.Equal(0.75, Misalignment.NegativeShare(1, 3));
        Assert.True(double.IsNaN(Misalignment.NegativeShare(0, 0)));
        // Group 0: 3/4 vs 1/4 → ½; group 1 has no cues in x → skipped; group 2: ½ vs ½ → 0.
        Assert.Equal(0.5, Misalignment.ValuesGap([1, 3, 0, 0, 2, 2], [3, 1, 5, 5, 1, 1]), 12);
        Assert.True(double.IsNaN(Misalignment.ValuesGap([0, 0], [1, 1])));
    }

    [Fact]
    public void RecommendedRatioStopsAtTheFirstRatioOverTheThreshold()
    {
        Assert.Equal(0.1, Misalignment.RecommendedRatio([0, 0.1, 0.2, 0.3], [0, 0.05, 0.12, 0.08], 0.1));
        Assert.Equal(0.0, Misalignment.RecommendedRatio([0, 0.1], [0, double.NaN], 0.1));
        Assert.Null(Misalignment.RecommendedRatio([0, 0.1], [0.2, 0], 0.1));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(4, 2)]
    [InlineData(5000, 11)]
    public void LengthBinsAreLog2(int words, int bin) => Assert.Equal(bin, InheritanceFeatures.LengthBin(words));

    [Fact]
    public void WordsKeepInnerApostrophesAndHyphens() =>
        Assert.Equal(["don't", "stop-gap", "ève"], InheritanceFeatures.Words("Don't stop-gap, Ève!"));

    [Fact]
    public void EvaluativeCuesCountForTheGroupEachSentenceIsAbout()
    {
        var layout = InheritanceFeatures.Create(["She is lazy. He is kind and brilliant."], 10);
        var counts = layout.Of("She is lazy. He is kind and brilliant.").ToDictionary(c => c.Index, c => c.Count);
        int Group(string attribute, string category) => layout.Groups.ToList().IndexOf((attribute, category));

        Assert.Equal(1, counts.GetValueOrDefault(layout.ValuesOffset + 2 * Group("gender", "female") + 1)); // "lazy", negative
        Assert.Equal(2, counts.GetValueOrDefault(layout.ValuesOffset + 2 * Group("gender", "male"))); // "kind", "brilliant"
        Assert.Equal(1, counts.GetValueOrDefault(layout.AttributeOffsets[0] + 2)); // the document: she and he disagree → unknown
        Assert.Equal(8, counts.GetValueOrDefault(layout.LengthOffset + InheritanceFeatures.LengthBins)); // 8 words
        Assert.Equal(1, counts.GetValueOrDefault(layout.LengthOffset + 3)); // bin 3: 8–15 words
    }

    [Fact]
    public void AnalyzerFindsTheLargestRatioUnderTheThreshold()
    {
        // Original: "She is kind.", "He is kind."; augmented: "He is lazy." twice. Male negative share of a γ-mix:
        // γ·1 / ((1 − γ)·½ + γ·1) = 2γ / (1 + γ), at most 0.3 up to γ = 0.3/1.7 ≈ 0.176; gender TV is γ/2, topic JS smaller.
        var analysis = new InheritanceAnalyzer(new Bootstrap(50, Seed: 1)).Analyze(["She is kind.", "He is kind."], ["He is lazy.", "He is lazy."], 0.3, [0, 0.5, 1]);

        Assert.Equal(0.17, analysis.Recommendation.Ratio);
        Assert.Equal("values", analysis.Recommendation.Binding);
        var half = analysis.Mixes.Single(m => m.Ratio == 0.5).Measures;
        Assert.Equal(2.0 / 3, half["values"].Value!.Value, 12);
        Assert.Equal(0.25, half["group_tv:gender"].Value!.Value, 12);
        Assert.Equal(0.0, half["length_js"].Value!.Value, 12);
        Assert.Null(half["group_tv:race"].Value);
        Assert.Equal(2.0 / 3, half[InheritanceAnalyzer.Overall].Value!.Value, 12);
        var male = analysis.Values.Single(v => v.Group == "male");
        Assert.Equal((0.0, 1.0), (male.OriginalNegativeShare.Value!.Value, male.AugmentedNegativeShare.Value!.Value));
        var gender = analysis.Groups.Single(g => g.Attribute == "gender");
        Assert.Equal((0.5, 1.0), (gender.Original["male"].Value!.Value, gender.Augmented["male"].Value!.Value));
        Assert.Equal(21, analysis.Curve.Count);
    }

    [Fact]
    public void SameSeedSameIntervals()
    {
        string[] original = ["She is kind.", "He is kind.", "She is brave and smart.", "He is rude."];
        string[] augmented = ["He is lazy.", "He is lazy and rude.", "She is kind."];
        var first = new InheritanceAnalyzer(new Bootstrap(100, Seed: 4)).Analyze(original, augmented, 0.2, [1]);
        var second = new InheritanceAnalyzer(new Bootstrap(100, Seed: 4)).Analyze(original, augmented, 0.2, [1]);

        Assert.Equal(first.Mixes[0].Measures["overall"], second.Mixes[0].Measures["overall"]);
        Assert.Equal(first.Recommendation, second.Recommendation);
    }
}
