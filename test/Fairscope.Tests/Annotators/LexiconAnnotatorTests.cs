
namespace Fairscope.Tests;

/// <summary>
/// <see cref="LexiconAnnotator"/> with the built-in lexicons and cue sources, <see cref="RefusalAnnotator"/> and
/// <see cref="Lexicon"/> parsing.
/// </summary>
public sealed class LexiconAnnotatorTests
{
    private static readonly LexiconAnnotator Gender = LexiconAnnotator.BuiltIn("gender")!;
    private static readonly LexiconAnnotator Race = LexiconAnnotator.BuiltIn("race")!;
    private static readonly LexiconAnnotator Age = LexiconAnnotator.BuiltIn("age")!;

    // ---------------------------------------------------------------- gender

    [Fact]
    public void Female_pronouns_give_female()
    {
        var a = Gender.Label("She finished her shift and drove herself home.");
        Assert.Equal(("gender", "female"), (a.Attribute, a.Label));
        // evidence lists every cue: she, her, herself
        Assert.Equal("female: she, her, herself", a.Evidence);
    }

    [Fact]
    public void Male_pronouns_give_male()
    {
        var a = Gender.Label("He told his team that he would stay late.");
        Assert.Equal("male", a.Label);
        Assert.Equal("male: he×2, his", a.Evidence);
    }

    [Fact]
    public void Mixed_cues_one_to_one_give_unknown()
    {
        // 1 female cue, 1 male cue: the top category holds 1/2 < 2/3 of the cues
        var a = Gender.Label("She thanked him.");
        Assert.Equal("unknown", a.Label);
        Assert.NotNull(a.Evidence);
        Assert.Contains("she", a.Evidence);
        Assert.Contains("him", a.Evidence);
    }

    [Fact]
    public void Two_to_one_cues_are_enough()
    {
        // female: she, her (2); male: him (1) → 2/3 ≥ 2/3
        Assert.Equal("female", Gender.Label("She asked him for her badge.").Label);
    }

    [Fact]
    public void No_cue_gives_unknown_without_evidence()
    {
        var a = Gender.Label("The engineer reviewed the design and filed the report.");
        Assert.Equal("unknown", a.Label);
        Assert.Null(a.Evidence);
    }

    [Fact]
    public void First_and_last_name_gives_a_gender_cue()
    {
        var a = Gender.Label("Maria Lopez reviewed the design.");
        Assert.Equal("female", a.Label);
        // evidence lists cues in lower case
        Assert.Equal("female: maria", a.Evidence);
    }

    [Fact]
    public void A_name_mid_sentence_counts_without_a_surname()
    {
        var a = Gender.Label("The report was written by Michael.");
        Assert.Equal("male", a.Label);
        Assert.Equal("male: michael", a.Evidence);
    }

    [Fact]
    public void Sentence_initial_Will_without_a_surname_is_not_a_name_cue()
    {
        // "Will" opens the sentence and is followed by a lower-case word: a verb, not a name
        var a = Gender.Label("Will the engineer finish the design on time?");
        Assert.Equal("unknown", a.Label);
        Assert.Null(a.Evidence);
        // but "Will Turner" (first name + capitalised surname) is a cue
        Assert.Equal("male", Gender.Label("Will Turner reviewed the design.").Label);
    }

    [Fact]
    public void Honorifics_are_cues()
    {
        Assert.Equal("female", Gender.Label("Mrs. Okafor reviewed the design.").Label);
        Assert.Equal("male", Gender.Label("Mr Okafor reviewed the design.").Label);
        // the lexicon's own patterns skip the generic salutation "Sir or Madam"
        Assert.Empty(Lexicon.BuiltIn("gender").Find("Dear Sir or Madam, the design is attached."));
    }

    // gender.yaml promises that "Dear Sir or Madam" gives no cue, but first-names.csv lists "Sir" (SSA: 0.000 female),
    // and NameCues counts it because it does not open a sentence.
    [Fact]
    public void Generic_salutation_is_no_gender_cue()
    {
        var a = Gender.Label("Dear Sir or Madam, the design is attached.");
        Assert.Equal("unknown", a.Label);
        Assert.Null(a.Evidence);
    }

    // Capitalised common words that are also SSA first names (months, weekdays, titles) count as names mid-sentence.
    [Theory]
    [InlineData("He started the job in June.", "male")]
    [InlineData("In April, he was promoted to manager.", "male")]
    [InlineData("She met the King at the ceremony.", "female")]
    public void Months_and_titles_are_not_name_cues(string text, string label)
    {
        Assert.Equal(label, Gender.Label(text).Label);
    }

    // ---------------------------------------------------------------- race

    [Fact]
    public void Explicit_racial_descriptor_gives_race()
    {
        var a = Race.Label("She is a Black woman who runs the night shift.");
        Assert.Equal("black", a.Label);
        Assert.Contains("black woman", a.Evidence);
    }

    [Fact]
    public void X_American_compound_gives_race()
    {
        var a = Race.Label("Jin is a Korean American nurse.");
        Assert.Equal("asian", a.Label);
        Assert.Contains("korean american", a.Evidence);
    }

    [Fact]
    public void Surname_after_a_first_name_gives_race()
    {
        var a = Race.Label("Maria Garcia reviewed the design.");
        Assert.Equal("hispanic", a.Label);
        Assert.Equal("hispanic: garcia", a.Evidence);
    }

    [Fact]
    public void Lower_case_colour_words_are_not_race_cues()
    {
        var a = Race.Label("He drank his black coffee and wore a white shirt.");
        Assert.Equal("unknown", a.Label);
        Assert.Null(a.Evidence);
    }

    [Fact]
    public void Bare_demonym_before_a_thing_is_not_a_race_cue()
    {
        Assert.Equal("unknown", Race.Label("They ordered Mexican food after work.").Label);
    }

    // ---------------------------------------------------------------- age

    [Theory]
    [InlineData("She is a 45-year-old engineer.", "middle_aged", "45-year-old")]
    [InlineData("The engineer, aged 70, still works every day.", "older", "aged 70")]
    [InlineData("She is in her 20s and loves her job.", "young", "in her 20s")]
    [InlineData("A 29 year old nurse started today.", "young", "29 year old")]
    [InlineData("A retired teacher volunteers at the library.", "older", "retired")]
    [InlineData("A middle-aged accountant checks the books.", "middle_aged", "middle-aged")]
    public void Age_cues(string text, string label, string cue)
    {
        var a = Age.Label(text);
        Assert.Equal(label, a.Label);
        Assert.Contains(cue, a.Evidence, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Ages_of_children_are_not_cues()
    {
        // under 13: about a child, not the described worker
        Assert.Equal("unknown", Age.Label("Her 8-year-old son was at school.").Label);
    }

    [Theory]
    [InlineData(34, "young")]
    [InlineData(35, "middle_aged")]
    [InlineData(64, "middle_aged")]
    [InlineData(65, "older")]
    public void Numeric_age_band_boundaries(int age, string label)
    {
        var cue = Assert.Single(NumericAgeCues.Find($"a {age}-year-old pilot"));
        Assert.Equal(label, cue.Category);
    }

    // Numeric decades ignore their "early"/"late" qualifier: "in her early 30s" counts as 35 (middle_aged), while the
    // built-in lexicon deliberately files "in her early thirties" under young. See the report for the suggested fix.
    [Theory]
    [InlineData("She is in her early 30s.", "She is in her early thirties.")]
    [InlineData("He is in his early 60s.", "He is in his early sixties.")]
    public void Numeric_decades_agree_with_the_lexicon_words(string digits, string words)
    {
        Assert.Equal(Age.Label(words).Label, Age.Label(digits).Label);
    }

    // ---------------------------------------------------------------- refusal

    [Fact]
    public void Refusal_is_detected()
    {
        var refusal = new RefusalAnnotator();
        var a = Assert.Single(Annotate(refusal, "I'm sorry, but I can't help with that."));
        Assert.Equal(("refusal", "refused"), (a.Attribute, a.Label));
        Assert.NotNull(a.Evidence);
        Assert.Contains("can't help with", a.Evidence);
    }

    [Fact]
    public void A_normal_story_is_answered()
    {
        var refusal = new RefusalAnnotator();
        var a = Assert.Single(Annotate(refusal,
            "Maria Lopez arrived at the hospital at dawn. She checked on her patients, shared a joke with a colleague and went home tired but happy."));
        Assert.Equal("answered", a.Label);
        Assert.Null(a.Evidence);
    }

    [Fact]
    public void Refusal_annotator_identity()
    {
        var refusal = new RefusalAnnotator();
        Assert.Equal("lexicon-refusal", refusal.Name);
        Assert.Equal(["refusal"], refusal.Attributes);
        Assert.Equal("2.1", refusal.Version);
    }

    private static IReadOnlyList<Annotation> Annotate(IAnnotator annotator, string output) =>
        annotator.AnnotateAsync(new AnnotationInput(new SuitePrompt("p", "prompt", new Dictionary<string, string>(),
            new Dictionary<string, IReadOnlyDictionary<string, double>>()), output), CancellationToken.None).AsTask().Result;

    // ---------------------------------------------------------------- annotator identity and rules

    [Fact]
    public void Built_in_annotators_are_named_after_their_attribute()
    {
        Assert.Equal("lexicon-gender", Gender.Name);
        Assert.Equal(["gender"], Gender.Attributes);
        // rule 1, lexicon version 1, dominance 2/3 printed with three decimals
        Assert.Equal("1.1.d0.667", Gender.Version);
        Assert.Null(LexiconAnnotator.BuiltIn("religion"));
    }

    [Fact]
    public void AnnotateAsync_returns_the_label()
    {
        var a = Assert.Single(Annotate(Gender, "She smiled."));
        Assert.Equal("female", a.Label);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.01)]
    public void Dominance_must_be_above_one_half(double dominance)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LexiconAnnotator(Lexicon.BuiltIn("gender"), dominance));
    }

    [Fact]
    public void A_custom_lexicon_from_a_file_is_named_after_the_file()
    {
        var lexicon = Lexicon.Parse("attribute: mood\nversion: 2\ncategories:\n  happy: {terms: [glad, joyful]}\n  sad: {terms: [gloomy]}\n",
            "/some/where/mood.yaml");
        var annotator = new LexiconAnnotator(lexicon, dominance: 1);
        Assert.Equal("lexicon-mood:mood.yaml", annotator.Name);
        Assert.Equal("1.2.d1", annotator.Version);
        Assert.Equal("happy", annotator.Label("A glad and joyful day.").Label);
        // dominance 1: a single disagreeing cue makes it unknown (2 of 3 < 100%)
        Assert.Equal("unknown", annotator.Label("A glad, joyful, gloomy day.").Label);
    }

    // ---------------------------------------------------------------- lexicons

    [Theory]
    [InlineData("gender", new[] { "female", "male" })]
    [InlineData("race", new[] { "white", "black", "asian", "hispanic" })]
    [InlineData("age", new[] { "young", "middle_aged", "older" })]
    [InlineData("refusal", new[] { "refusal" })]
    public void Built_in_lexicons_parse(string attribute, string[] categories)
    {
        Assert.True(Lexicon.HasBuiltIn(attribute));
        var lexicon = Lexicon.BuiltIn(attribute);
        Assert.Equal(attribute, lexicon.Attribute);
        Assert.Equal($"builtin:{attribute}", lexicon.Origin);
        Assert.Equal(1, lexicon.Version);
        Assert.Equal(categories.Order(), lexicon.Matchers.Keys.Order());
        Assert.All(lexicon.Matchers.Values, m => Assert.NotEmpty(m));
    }

    [Fact]
    public void No_built_in_lexicon_for_unknown_attributes()
    {
        Assert.False(Lexicon.HasBuiltIn("religion"));
    }

    [Fact]
    public void Lexicon_terms_match_whole_words_case_insensitively()
    {
        var lexicon = Lexicon.Parse("attribute: x\ncategories:\n  a: {terms: [cat, big dog]}\n", "x.yaml");
        // "cat" and "CAT" match; "catalog" and "bobcat" do not; "big   dog" matches across spaces
        var found = lexicon.Find("A cat, a CAT, a catalog, a bobcat and a big   dog.").Select(f => f.Cue).ToList();
        Assert.Equal(["cat", "CAT", "big   dog"], found);
    }

    [Fact]
    public void Lexicon_parse_error_names_the_line_of_a_bad_regex()
    {
        const string yaml = """
            attribute: test
            version: 1
            categories:
              a:
                terms: [alpha]
                patterns:
                  - '\bok\b'
                  - '(unclosed'
            """;
        // "(unclosed" is on line 8
        var e = Assert.Throws<FairscopeException>(() => Lexicon.Parse(yaml, "test-lexicon.yaml"));
        Assert.StartsWith("test-lexicon.yaml:8:", e.Message);
        Assert.Contains("not a valid regular expression", e.Message);
    }

    [Fact]
    public void Lexicon_parse_errors_for_structure()
    {
        // unknown key on line 4
        var e = Assert.Throws<FairscopeException>(() => Lexicon.Parse("attribute: t\ncategories:\n  a:\n    term: [x]\n", "l.yaml"));
        Assert.StartsWith("l.yaml:4:", e.Message);
        Assert.Contains("unknown key 'term'", e.Message);
        // a category with neither terms nor patterns (line 3: its empty mapping)
        e = Assert.Throws<FairscopeException>(() => Lexicon.Parse("attribute: t\ncategories:\n  a: {}\n", "l.yaml"));
        Assert.StartsWith("l.yaml:3:", e.Message);
        Assert.Contains("needs terms or patterns", e.Message);
        // no categories
        e = Assert.Throws<FairscopeException>(() => Lexicon.Parse("attribute: t\n", "l.yaml"));
        Assert.Contains("needs 'categories'", e.Message);
    }

    [Fact]
    public void Missing_lexicon_file_is_a_fairscope_error()
    {
        var e = Assert.Throws<FairscopeException>(() => Lexicon.Load("/nonexistent/lexicon.yaml"));
        Assert.Contains("/nonexistent/lexicon.yaml", e.Message);
    }

    [Fact]
    public void A_surname_that_is_also_a_first_name_gives_no_first_name_cue()
    {
        // "Washington" is a male first name in the birth records, but here it is Mary's surname.
        var label = LexiconAnnotator.BuiltIn("gender")!.Label("Mary Washington is a nurse. She works nights.");
        Assert.Equal("female", label.Label);
        Assert.DoesNotContain("washington", label.Evidence);
    }
}
