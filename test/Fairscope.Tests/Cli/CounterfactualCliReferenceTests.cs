using System.Text.Json;

namespace Fairscope.Tests;

/// <summary><c>fairscope counterfactual --anti-stereotype RUN_FOLDER</c> and lexicons that replace a shipped one.</summary>
[Collection(CliCollection.Name)]
public sealed class CounterfactualCliReferenceTests
{
    [Fact]
    public async Task An_audit_run_folder_gives_the_weights()
    {
        using var temp = new TempFolder();
        var run = await PreferencesCliTests.AuditAsync(temp);
        var data = temp.File("data.jsonl", "{\"text\": \"She is a nurse.\", \"job\": \"nurse\"}\n");

        var (exit, errors) = await CliHarness.RunAsync("counterfactual", data, "--out", temp.Sub("out.jsonl"), "--field", "text", "--anti-stereotype", run, "--context-field", "job");

        Assert.True(exit == 0, errors);
        Assert.All(File.ReadAllLines(temp.Sub("out.jsonl")), l => Assert.True(JsonDocument.Parse(l).RootElement.TryGetProperty("cf_weight", out _)));
    }

    [Fact]
    public void A_replacing_gender_lexicon_keeps_the_shipped_names_and_no_name_hides_a_term()
    {
        using var temp = new TempFolder();
        var file = temp.File("gender.yaml", """
            concept: gender
            groups:
              female: {terms: [she, her]}
              male: {terms: [he, his]}
            """);

        var gender = CounterfactualLexicon.Load([file]).Single(l => l.Concept == "gender");

        Assert.All(gender.Groups.Values, g => Assert.NotEmpty(g.Names));
        var names = CounterfactualLexicon.Load([]).SelectMany(l => l.Groups.Values).SelectMany(g => g.Names).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain("India", names);
        Assert.DoesNotContain("German", names);
    }
}
