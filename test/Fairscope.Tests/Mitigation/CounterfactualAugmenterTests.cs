using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Fairscope.Tests;

public sealed class CounterfactualAugmenterTests
{
    private static readonly IReadOnlyList<CounterfactualLexicon> Shipped = CounterfactualLexicon.Load([]);
    private static readonly CounterfactualAugmenter Augmenter = new(Shipped);
    private static readonly CounterfactualRewriter Rewriter = new(DemographicVocabulary.FromLexicons(Shipped));
    private static readonly DemographicProfile Male = new("male", null, null), Female = new("female", null, null);

    [Theory]
    // her: possessive before a noun or adjective, object otherwise; 's, case, plurals, titles and kinship.
    [InlineData("She gave her old coat to her niece and thanked her.", "He gave his old coat to his nephew and thanked him.")]
    [InlineData("SHE said Her mother's sisters met Mrs. Smith, the queen's widow.", "HE said His father's brothers met Mr. Smith, the king's widower.")]
    [InlineData("The women and girls asked the lady.", "The men and boys asked the gentleman.")]
    // Whole words only: no swap inside Sheffield, history, mankind, shepherd or Hermes.
    [InlineData("In Sheffield, history shows mankind's shepherd and Hermes.", "In Sheffield, history shows mankind's shepherd and Hermes.")]
    public void GenderSwapsKeepGrammarCaseAndWholeWords(string text, string expected) =>
        Assert.Equal(expected, Rewriter.Rewrite(text, Male, new Random(1)));

    [Theory]
    [InlineData("He is a Muslim who goes to the mosque.", "religion", "jewish", "He is a Jewish who goes to the synagogue.")]
    [InlineData("A White nurse met a Black doctor.", "race", "asian", "An Asian nurse met an Asian doctor.")]
    [InlineData("The Nigerian team left Nigeria.", "nationality", "german", "The German team left Germany.")]
    [InlineData("A blind gay writer.", "sexual_orientation", "bisexual", "A blind bisexual writer.")]
    public void OtherConceptsSwapByPositionAndFixTheArticle(string text, string concept, string group, string expected) =>
        Assert.Equal(expected, Rewriter.Rewrite(text, DemographicProfile.For(new Dictionary<string, string> { [concept] = group }), new Random(2)));

    [Theory]
    [InlineData("older")]
    [InlineData("young")]
    [InlineData("middle_aged")]
    public void ARedrawnAgeTakesTheArticleItsNumberIsSaidWith(string group)
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var text = Rewriter.Rewrite("She is an 18-year-old nurse.", DemographicProfile.For(new Dictionary<string, string> { ["age"] = group }), new Random(seed));
            var m = System.Text.RegularExpressions.Regex.Match(text, @"^She is (a|an) (\d+)-year-old nurse\.$");
            Assert.True(m.Success, text);
            var years = m.Groups[2].Value;
            Assert.Equal(years.StartsWith('8') || years is "11" or "18" ? "an" : "a", m.Groups[1].Value);
        }
    }

    [Fact]
    public void OrderTwoAddsTheIntersectionsAndProvenanceSaysWhatWasSwapped()
    {
        const string text = "The Christian woman prayed.";
        var single = Augmenter.Variants([text], new Random(3));
        Assert.Equal(1 + 4, single.Count); // gender → male; religion → four others
        Assert.All(single, v => Assert.Single(v.Concepts));

        var report = new CounterfactualReport();
        var pairs = new CounterfactualAugmenter(Shipped, order: 2).Variants([text], new Random(3), report);
        Assert.Equal(1 + 4 + 4, pairs.Count);
        var both = pairs.Single(v => v.Swap == "gender:female>male;religion:christian>muslim");
        Assert.Equal(["gender", "religion"], both.Concepts);
        Assert.Equal("The Muslim man prayed.", both.Texts[0]);
        Assert.Equal(new Dictionary<string, string> { ["gender"] = "male", ["religion"] = "muslim" }, both.Groups);
        Assert.Equal((1, 9L), (report.RowsWithTerms, report.Variants));
        Assert.Equal(5, report.VariantsPerConcept["gender"]);
        Assert.Equal(5, report.Swaps["gender"]["woman>man"]);
        Assert.Equal(2, report.Swaps["religion"]["christian>muslim"]);
    }

    [Fact]
    public void VariantsRepeatForASeedAndAreCappedByDrawing()
    {
        const string text = "Mary Olson, a 42-year-old White Christian American woman, is blind.";
        var capped = new CounterfactualAugmenter(Shipped, order: 2, maxVariants: 5);
        var first = capped.Variants([text, "She agrees."], new Random(4));
        Assert.Equal(5, first.Count);
        Assert.Equal(first.Select(v => (v.Swap, v.Texts[0], v.Texts[1])), capped.Variants([text, "She agrees."], new Random(4)).Select(v => (v.Swap, v.Texts[0], v.Texts[1])));
    }

    [Fact]
    public void UserLexiconsReplaceOrExtendTheShippedOnes()
    {
        using var temp = new TempFolder();
        var replace = temp.File("religion.yaml", "concept: religion\ngroups:\n  sikh: { terms: [Sikh, gurdwara] }\n  jain: { terms: [Jain, derasar] }\n");
        var extend = temp.File("gender.yaml", "concept: gender\nextend: true\ngroups:\n  female: { terms: [heiress], names: [Zelda] }\n  male: { terms: [heir] }\n");
        var lexicons = CounterfactualLexicon.Load([replace, extend]);
        Assert.Equal(["sikh", "jain"], lexicons.Single(l => l.Concept == "religion").Groups.Keys);
        var rewriter = new CounterfactualRewriter(DemographicVocabulary.FromLexicons(lexicons));
        Assert.Equal("The Jain heir visited the derasar, not the mosque.",
            rewriter.Rewrite("The Sikh heiress visited the gurdwara, not the mosque.", DemographicProfile.For(new Dictionary<string, string> { ["gender"] = "male", ["religion"] = "jain" }), new Random(5)));

        var uneven = temp.File("uneven.yaml", "concept: gender\nextend: true\ngroups:\n  female: { terms: [heiress] }\n");
        Assert.Contains("uneven.yaml", Assert.Throws<FairscopeException>(() => CounterfactualLexicon.Load([uneven])).Message);
        var typo = temp.File("typo.yaml", "concept: religion\ngroups:\n  a: { terms: [x] }\n  b: { trems: [y] }\n");
        Assert.StartsWith($"{typo}:4:", Assert.Throws<FairscopeException>(() => CounterfactualLexicon.Load([typo])).Message);
    }

    // Feminine and masculine words whose swap is a bijection (no her/his/him, no Mrs → Mr), with filler words.
    private static readonly (string Female, string Male)[] Bijective =
        [("she", "he"), ("woman", "man"), ("women", "men"), ("mother", "father"), ("niece", "nephew"), ("queen", "king"), ("herself", "himself"), ("Ms", "Mr")];
    private static readonly string[] Filler = ["the", "history", "Sheffield", "mankind", "shepherd", "told", "a", "42", "nurse", "très", "—", "", "ok"];

    private static Gen<string> Text(Gen<string> word) =>
        from words in Gen.ListOf(word)
        from separators in Gen.ListOf(Gen.Elements(" ", ", ", ". ", "\n", "'s "))
        select string.Concat(words.Select((w, i) => w + separators.ElementAtOrDefault(i)));

    public static class Texts
    {
        public static Arbitrary<string[]> Cases() => Arb.From(
            from female in Gen.Elements(false, true)
            from text in Text(Gen.OneOf(Gen.Elements(Filler), Gen.Elements(Bijective.Select(p => female ? p.Female : p.Male).ToArray())))
            select new[] { text, female ? "female" : "male" });
    }

    [Property(Arbitrary = new[] { typeof(Texts) }, MaxTest = 300, Replay = "(27182,81829)")]
    public void SwappingTwiceReturnsTheOriginalWhereTheSwapIsABijection(string[] c)
    {
        var (text, own) = (c[0], c[1]);
        var other = own == "female" ? Male : Female;
        var swapped = Rewriter.Rewrite(text, other, new Random(6));
        Assert.Equal(text, Rewriter.Rewrite(swapped, new DemographicProfile(own, null, null), new Random(7)));
    }

    [Property(Arbitrary = new[] { typeof(Texts) }, MaxTest = 300, Replay = "(14142,13563)")]
    public void EverythingButTheSwappedWordsStaysByteIdentical(string[] c)
    {
        const string untouched = "untouched, 42 — très";
        var variants = Augmenter.Variants([c[0], untouched], new Random(8));
        Assert.True(variants.Count <= 1); // only gender is present: one variant, or none for filler alone
        foreach (var variant in variants)
        {
            Assert.Equal(untouched, variant.Texts[1]);
            Assert.Equal(Regex.Split(c[0], @"\p{L}+"), Regex.Split(variant.Texts[0], @"\p{L}+"));
        }
    }

    [Property(MaxTest = 300, Replay = "(16180,33989)")]
    public void TextWithoutDemographicTermsYieldsNoVariant(NonNull<string> raw)
    {
        var text = Sample(raw.Get);
        Assert.Empty(Augmenter.Variants([text], new Random(9)));
    }

    // Random text with every demographic term of the shipped lexicons (and every age) removed.
    private static string Sample(string raw)
    {
        var text = raw;
        while (Rewriter.Terms.Find(text) is { Count: > 0 } spans) text = text.Remove(spans[0].Start, spans[0].Length);
        return text;
    }
}
