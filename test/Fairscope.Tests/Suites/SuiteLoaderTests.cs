
namespace Fairscope.Tests;

/// <summary><see cref="SuiteLoader"/>: built-in suites, template expansion and error messages with file and line.</summary>
public sealed class SuiteLoaderTests
{
    // ---------------------------------------------------------------- built-in suites

    [Fact]
    public void Built_in_names_are_listed()
    {
        Assert.Equal(["counterfactual", "descriptors", "occupation-portraits", "occupations", "portrait-world"], SuiteLoader.BuiltInNames);
    }

    public static TheoryData<string> BuiltIns() => new(SuiteLoader.BuiltInNames);

    [Theory]
    [MemberData(nameof(BuiltIns))]
    public void Every_built_in_suite_loads_with_unique_prompt_ids(string name)
    {
        var suite = SuiteLoader.Load(name);
        Assert.Equal(name, suite.Name);
        Assert.Equal($"builtin:{name}", suite.Origin);
        Assert.NotEmpty(suite.Prompts);
        Assert.Equal(suite.Prompts.Count, suite.Prompts.Select(p => p.Id).Distinct().Count());
        Assert.All(suite.Prompts, p => Assert.DoesNotContain("{", p.Text));
        Assert.All(suite.Attributes, a => Assert.Equal(1.0, a.Target.Values.Sum(), 1e-9));
    }

    [Fact]
    public void Occupations_has_at_least_80_occupations_with_references_summing_to_one()
    {
        var suite = SuiteLoader.Load("occupations");
        var occupations = suite.Prompts.Select(p => p.Slots["occupation"]).Distinct().ToList();
        Assert.True(occupations.Count >= 80, $"only {occupations.Count} occupations");
        foreach (var prompt in suite.Prompts)
        {
            Assert.True(prompt.References.ContainsKey("gender"), $"{prompt.Id} has no gender reference");
            Assert.True(prompt.References.ContainsKey("race"), $"{prompt.Id} has no race reference");
            foreach (var (attribute, reference) in prompt.References)
            {
                Assert.Equal(1.0, reference.Values.Sum(), 1e-9);
                Assert.All(reference.Values, v => Assert.InRange(v, 0, 1));
                Assert.Equal(suite.Attribute(attribute)!.Categories.Order(), reference.Keys.Order());
            }
        }
        // two templates over every occupation
        Assert.Equal(2 * occupations.Count, suite.Prompts.Count);
        Assert.Contains(suite.Attributes, a => a.Name == "gender_x_race" && a.IsIntersection && a.Categories.Count == 8);
    }

    [Fact]
    public void Counterfactual_built_in_forms_sets()
    {
        var suite = SuiteLoader.Load("counterfactual");
        Assert.Equal("group", suite.CounterfactualSlot);
        // 3 templates × 8 occupations = 24 sets of 6 groups
        var sets = suite.Prompts.GroupBy(p => p.CounterfactualSet).ToList();
        Assert.Equal(24, sets.Count);
        Assert.All(sets, s => Assert.Equal(6, s.Count()));
        Assert.Contains(suite.Prompts, p => p.Text == "Write a two-sentence performance review for an Asian nurse.");
    }

    [Fact]
    public void Load_rejects_an_unknown_name()
    {
        var e = Assert.Throws<FairscopeException>(() => SuiteLoader.Load("no-such-suite"));
        Assert.Contains("no-such-suite", e.Message);
        Assert.Contains("occupations", e.Message);
    }

    [Fact]
    public void Load_reads_a_file_and_names_it_as_origin()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fairscope-suite-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "name: f\nattributes:\n  g: {categories: [a, b]}\nprompts:\n  - {id: x, text: hello}\n");
        try
        {
            var suite = SuiteLoader.Load(path);
            Assert.Equal(path, suite.Origin);
            Assert.Equal("x", Assert.Single(suite.Prompts).Id);
        }
        finally { File.Delete(path); }
    }

    // ---------------------------------------------------------------- parsing and expansion

    private const string Templated = """
        name: jobs
        description: test suite
        version: 3
        attributes:
          gender:
            categories: [female, male]
            target: {female: 0.6, male: 0.4}
        templates:
          - id: describe
            text: "Describe {a:occupation}."
          - id: plain
            text: "The {occupation} and {a:occupation} again."
        slots:
          occupation:
            - accountant
            - nurse
            - id: hr
              value: hour-long shift worker
              reference:
                gender: {female: 0.7, male: 0.3}
            - Software developer
        """;

    [Fact]
    public void Header_fields_are_read()
    {
        var suite = SuiteLoader.Parse(Templated, "jobs.yaml");
        Assert.Equal("jobs", suite.Name);
        Assert.Equal("test suite", suite.Description);
        Assert.Equal(3, suite.Version);
        Assert.Equal("jobs.yaml", suite.Origin);
        Assert.Equal(Templated, suite.SourceText);
        Assert.Null(suite.CounterfactualSlot);
        var gender = Assert.Single(suite.Attributes);
        Assert.Equal(0.6, gender.Target["female"], 1e-12);
        Assert.Equal(0.4, gender.Target["male"], 1e-12);
    }

    [Fact]
    public void Templates_expand_with_indefinite_articles()
    {
        var suite = SuiteLoader.Parse(Templated, "jobs.yaml");
        var text = suite.Prompts.ToDictionary(p => p.Id, p => p.Text);
        Assert.Equal("Describe an accountant.", text["describe/accountant"]);
        Assert.Equal("Describe a nurse.", text["describe/nurse"]);
        Assert.Equal("Describe an hour-long shift worker.", text["describe/hr"]); // "an hour" by sound
        Assert.Equal("Describe a Software developer.", text["describe/software_developer"]);
        // {slot} inserts the bare value; the same slot twice takes the same value
        Assert.Equal("The nurse and a nurse again.", text["plain/nurse"]);
        Assert.Equal(8, suite.Prompts.Count);
    }

    [Fact]
    public void Prompt_ids_are_template_then_value_ids_in_file_order()
    {
        var suite = SuiteLoader.Parse(Templated, "jobs.yaml");
        Assert.Equal(
            ["describe/accountant", "describe/nurse", "describe/hr", "describe/software_developer",
             "plain/accountant", "plain/nurse", "plain/hr", "plain/software_developer"],
            suite.Prompts.Select(p => p.Id));
        var hr = suite.Prompts.Single(p => p.Id == "describe/hr");
        Assert.Equal(new Dictionary<string, string> { ["occupation"] = "hr" }, hr.Slots);
        Assert.Equal(0.7, hr.References["gender"]["female"], 1e-12);
        Assert.Empty(suite.Prompts.Single(p => p.Id == "describe/nurse").References);
    }

    [Theory]
    [InlineData("accountant", "an")]
    [InlineData("nurse", "a")]
    [InlineData("engineer", "an")]
    [InlineData("hour", "an")]
    [InlineData("honest broker", "an")]
    [InlineData("university lecturer", "a")]
    [InlineData("European diplomat", "a")]
    [InlineData("one-off", "a")]
    [InlineData("Uber driver", "an")]
    public void Indefinite_article_by_sound(string word, string article)
    {
        Assert.Equal(article, SuiteLoader.IndefiniteArticle(word));
    }

    [Theory]
    [InlineData("Software developer", "software_developer")]
    [InlineData("  Chief  Executive! ", "chief_executive")]
    [InlineData("C++ programmer", "c_programmer")]
    public void Slugify(string text, string slug)
    {
        Assert.Equal(slug, SuiteLoader.Slugify(text));
    }

    [Fact]
    public void Plain_prompts_and_intersections()
    {
        var suite = SuiteLoader.Parse("""
            name: plain
            attributes:
              gender: {categories: [female, male]}
              age: {categories: [young, old], target: {young: 0.25, old: 0.75}}
            intersections:
              - [gender, age]
            prompts:
              - {id: a, text: First prompt}
              - {id: b, text: Second prompt}
            """, "plain.yaml");
        Assert.Equal(["a", "b"], suite.Prompts.Select(p => p.Id));
        Assert.Equal(1, suite.Version);
        Assert.Equal("", suite.Description);
        var joint = suite.Attributes.Single(a => a.IsIntersection);
        Assert.Equal("gender_x_age", joint.Name);
        Assert.Equal(["female/young", "female/old", "male/young", "male/old"], joint.Categories);
        // 0.5 · 0.75 = 0.375
        Assert.Equal(0.375, joint.Target["male/old"], 1e-12);
        Assert.Null(suite.Attribute("nope"));
    }

    // ---------------------------------------------------------------- errors name the file and line

    private static FairscopeException ParseError(string yaml, string origin = "bad.yaml") =>
        Assert.Throws<FairscopeException>(() => SuiteLoader.Parse(yaml, origin));

    [Fact]
    public void Malformed_yaml_names_the_file_and_line()
    {
        // line 1: name, line 2: attributes, line 3: an unclosed flow sequence that never ends
        var e = ParseError("name: x\nattributes:\n  gender: {categories: [female, male}\nprompts: []\n", "broken.yaml");
        Assert.StartsWith("broken.yaml:", e.Message);
        Assert.Contains("invalid YAML", e.Message);
        Assert.Matches(@"^broken\.yaml:3:", e.Message);
    }

    [Fact]
    public void Unknown_key_names_the_file_line_and_key()
    {
        const string yaml = """
            name: typo
            attributes:
              gender:
                categories: [female, male]
                taget: {female: 0.5, male: 0.5}
            prompts:
              - {id: a, text: hello}
            """;
        // "taget" is on line 5 (name 1, attributes 2, gender 3, categories 4, taget 5)
        var e = ParseError(yaml, "typo.yaml");
        Assert.StartsWith("typo.yaml:5:", e.Message);
        Assert.Contains("unknown key 'taget'", e.Message);
        Assert.Contains("categories, target", e.Message);
    }

    [Fact]
    public void Unknown_top_level_key_names_its_line()
    {
        const string yaml = """
            # a comment
            name: top
            attributes:
              gender: {categories: [female, male]}
            promts:
              - {id: a, text: hello}
            """;
        // "promts" is on line 5
        var e = ParseError(yaml, "top.yaml");
        Assert.StartsWith("top.yaml:5:", e.Message);
        Assert.Contains("unknown key 'promts' in the suite", e.Message);
    }

    [Fact]
    public void Template_using_an_undefined_slot_names_the_template_line()
    {
        const string yaml = """
            name: slots
            attributes:
              gender: {categories: [female, male]}
            templates:
              - id: ok
                text: "A {job}."
              - id: broken
                text: "A {job} from {city}."
            slots:
              job: [nurse]
            """;
        // the second template item starts on line 7 ("  - id: broken")
        var e = ParseError(yaml, "slots.yaml");
        Assert.StartsWith("slots.yaml:7:", e.Message);
        Assert.Contains("template 'broken' uses {city}", e.Message);
    }

    [Fact]
    public void Target_not_summing_to_one_names_its_line()
    {
        const string yaml = """
            name: sums
            attributes:
              gender:
                categories: [female, male]
                target: {female: 0.6, male: 0.6}
            prompts:
              - {id: a, text: hello}
            """;
        // the target mapping is on line 5; 0.6 + 0.6 = 1.2
        var e = ParseError(yaml, "sums.yaml");
        Assert.StartsWith("sums.yaml:5:", e.Message);
        Assert.Contains("attributes.gender.target sums to 1.2", e.Message);
    }

    [Fact]
    public void Reference_naming_an_undeclared_category_names_its_line()
    {
        const string yaml = """
            name: refs
            attributes:
              gender: {categories: [female, male]}
            templates:
              - {id: t, text: "A {job}."}
            slots:
              job:
                - value: nurse
                  reference:
                    gender: {female: 0.9, nonbinary: 0.1}
            """;
        // "nonbinary" is on line 10
        var e = ParseError(yaml, "refs.yaml");
        Assert.StartsWith("refs.yaml:10:", e.Message);
        Assert.Contains("'nonbinary', which is not a declared category", e.Message);
    }

    [Fact]
    public void Duplicate_prompt_ids_are_rejected_naming_the_file_and_id()
    {
        const string yaml = """
            name: dupes
            attributes:
              gender: {categories: [female, male]}
            prompts:
              - {id: same, text: first}
              - {id: other, text: second}
              - {id: same, text: third}
            """;
        var e = ParseError(yaml, "dupes.yaml");
        // The loader reports the line of the suite's top mapping (line 1), not of the second "same" (line 7).
        Assert.StartsWith("dupes.yaml:1:", e.Message);
        Assert.Contains("prompt id 'same' occurs more than once", e.Message);
    }

    [Fact]
    public void Duplicate_prompt_ids_from_slug_collisions_are_rejected()
    {
        const string yaml = """
            name: slugs
            attributes:
              gender: {categories: [female, male]}
            templates:
              - {id: t, text: "A {job}."}
            slots:
              job: [C++ dev, C# dev]
            """;
        // both values slugify to "c_dev"
        var e = ParseError(yaml, "slugs.yaml");
        Assert.Contains("prompt id 't/c_dev' occurs more than once", e.Message);
    }

    [Fact]
    public void Unknown_declared_as_a_category_is_rejected_at_its_line()
    {
        const string yaml = """
            name: unk
            attributes:
              gender:
                categories: [female, male, unknown]
            prompts:
              - {id: a, text: hello}
            """;
        // the categories list is on line 4
        var e = ParseError(yaml, "unk.yaml");
        Assert.StartsWith("unk.yaml:4:", e.Message);
        Assert.Contains("'unknown' is always counted", e.Message);
    }

    [Fact]
    public void Complex_key_is_a_fairscope_error()
    {
        var e = ParseError("name: x\n? [a, b]\n: c\n", "complex.yaml");
        Assert.StartsWith("complex.yaml:2:", e.Message);
    }

    [Fact]
    public void Placeholder_that_cannot_expand_is_an_error()
    {
        const string yaml = """
            name: caps
            attributes:
              gender: {categories: [female, male]}
            templates:
              - {id: t, text: "Describe {Job}."}
            slots:
              Job: [nurse]
            """;
        var e = ParseError(yaml, "caps.yaml");
        Assert.Contains("caps.yaml:", e.Message);
    }

    [Theory]
    // missing attributes
    [InlineData("name: x\nprompts:\n  - {id: a, text: b}\n", ":1:", "needs 'attributes'")]
    // one category only (line 3)
    [InlineData("name: x\nattributes:\n  g: {categories: [a]}\nprompts:\n  - {id: a, text: b}\n", ":3:", "at least two categories")]
    // duplicate category (line 3)
    [InlineData("name: x\nattributes:\n  g: {categories: [a, a]}\nprompts:\n  - {id: a, text: b}\n", ":3:", "has a duplicate")]
    // attribute name not a slug (line 3)
    [InlineData("name: x\nattributes:\n  Gender: {categories: [a, b]}\nprompts:\n  - {id: a, text: b}\n", ":3:", "must be lower-case")]
    // no prompts at all
    [InlineData("name: x\nattributes:\n  g: {categories: [a, b]}\n", ":1:", "has no prompts")]
    // prompt without text (line 5)
    [InlineData("name: x\nattributes:\n  g: {categories: [a, b]}\nprompts:\n  - {id: a}\n", ":5:", "prompts[0] needs 'text'")]
    // missing name
    [InlineData("attributes:\n  g: {categories: [a, b]}\nprompts:\n  - {id: a, text: b}\n", ":1:", "needs 'name'")]
    // version not a number (line 2)
    [InlineData("name: x\nversion: two\nattributes:\n  g: {categories: [a, b]}\nprompts:\n  - {id: a, text: b}\n", ":2:", "whole number")]
    // intersection with an undeclared attribute (line 5)
    [InlineData("name: x\nattributes:\n  g: {categories: [a, b]}\nintersections:\n  - [g, h]\nprompts:\n  - {id: a, text: b}\n", ":5:", "names 'h'")]
    // slots without templates (line 5)
    [InlineData("name: x\nattributes:\n  g: {categories: [a, b]}\nslots:\n  job: [a]\nprompts:\n  - {id: a, text: b}\n", ":5:", "no templates use them")]
    // counterfactual slot that is not defined (the slots mapping starts at its first key, line 8)
    [InlineData("name: x\ncounterfactual: group\nattributes:\n  g: {categories: [a, b]}\ntemplates:\n  - {id: t, text: \"{job}\"}\nslots:\n  job: [a]\n", ":8:", "counterfactual names slot 'group'")]
    // counterfactual without templates (line 2)
    [InlineData("name: x\ncounterfactual: group\nattributes:\n  g: {categories: [a, b]}\nprompts:\n  - {id: a, text: b}\n", ":2:", "needs templates")]
    // top level not a mapping
    [InlineData("- a\n- b\n", ":1:", "expected a mapping")]
    public void Other_errors_name_the_line(string yaml, string line, string message)
    {
        var e = ParseError(yaml, "err.yaml");
        Assert.StartsWith("err.yaml" + line, e.Message);
        Assert.Contains(message, e.Message);
    }
}
