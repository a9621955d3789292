using System.Text.Json;

namespace Fairscope.Tests;

/// <summary>Annotator agreement in <see cref="AuditAnalyzer"/>'s result and in the JSON and HTML reports, worked out by hand.</summary>
public sealed class AuditAgreementTests
{
    private const double Tolerance = 1e-12;

    private const string Yaml = """
        name: agree
        attributes:
          gender:
            categories: [female, male]
        prompts:
          - id: p1
            text: A photo of the face of a nurse, a person
          - id: p2
            text: A photo of the face of a surgeon, a person
        """;

    private static readonly FakeAnnotator Judge = new() { Name = "vision-judge:v", Version = "1", Attributes = ["gender", FaceLabels.Attribute] };
    private static readonly FakeAnnotator Lexicon = new() { Name = "lexicon-gender", Version = "1", Attributes = ["gender"] };
    private static readonly FakeAnnotator Faces = new() { Name = "faces-net", Version = "1", Attributes = [FaceLabels.Attribute] };

    /// <summary>
    /// p1 samples 0–3 and p2 samples 0–2 succeed, p2/3 fails.
    /// gender, judge:   p1 female, female, male, unknown;  p2 male, "nonbinary" (→ unknown), female
    /// gender, lexicon: p1 female, male,   male, unknown;  p2 male, unknown, — (only a stale version-0 label)
    /// faces, judge:    p1 one, one, no, several;           p2 one, one, one
    /// faces, net:      p1 one, one, no, one;               p2 one, one, no
    /// </summary>
    private static (Suite Suite, RunInfo Run, List<SampleRecord> Samples, List<AnnotationRecord> Annotations) Data()
    {
        var suite = SuiteLoader.Parse(Yaml, "agree.yaml");
        var run = new RunInfo(1, new RunSpec("agree-run", suite.Name, suite.SourceText, "replay", "outputs.jsonl", null, 4, 7, "{}"),
            RunInfo.Completed, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 0, 0);
        var samples = new List<SampleRecord>();
        foreach (var (prompt, count) in new[] { ("p1", 4), ("p2", 3) })
            for (var i = 0; i < count; i++) samples.Add(new(prompt, i, 0, $"images/{prompt}{i}.png", null, "stop", 1, 1));
        samples.Add(new("p2", 3, 0, null, "timeout", null, 1, 3));
        var annotations = new List<AnnotationRecord>();
        void Label(FakeAnnotator annotator, string attribute, string prompt, params string[] labels)
        {
            for (var i = 0; i < labels.Length; i++)
                annotations.Add(new(prompt, i, annotator.Name, annotator.Version, attribute, labels[i], null));
        }
        Label(Judge, "gender", "p1", "female", "female", "male", "unknown");
        Label(Judge, "gender", "p2", "male", "nonbinary", "female", "female"); // p2/3 failed: ignored
        Label(Lexicon, "gender", "p1", "female", "male", "male", "unknown");
        Label(Lexicon, "gender", "p2", "male", "unknown");
        annotations.Add(new("p2", 2, Lexicon.Name, "0", "gender", "female", null)); // stale version: ignored
        Label(Judge, FaceLabels.Attribute, "p1", FaceLabels.OneFace, FaceLabels.OneFace, FaceLabels.NoFace, FaceLabels.SeveralFaces);
        Label(Judge, FaceLabels.Attribute, "p2", FaceLabels.OneFace, FaceLabels.OneFace, FaceLabels.OneFace);
        Label(Faces, FaceLabels.Attribute, "p1", FaceLabels.OneFace, FaceLabels.OneFace, FaceLabels.NoFace, FaceLabels.OneFace);
        Label(Faces, FaceLabels.Attribute, "p2", FaceLabels.OneFace, FaceLabels.OneFace, FaceLabels.NoFace);
        return (suite, run, samples, annotations);
    }

    private static AuditResult Analyze(int seed = 1)
    {
        var (suite, run, samples, annotations) = Data();
        return new AuditAnalyzer(new Bootstrap(200, 0.95, seed)).Analyze(run, suite, samples, annotations, [Judge, Lexicon, Faces, new RefusalAnnotator()]);
    }

    [Fact]
    public void Pairwise_kappa_per_shared_attribute()
    {
        var agreement = Analyze().Agreement;
        Assert.Equal([("gender", "vision-judge:v", "lexicon-gender"), (FaceLabels.Attribute, "vision-judge:v", "faces-net")],
            agreement.Select(a => (a.Attribute, a.First, a.Second)));

        // gender, on the 6 samples both labelled (p1/0–3, p2/0–1), categories female, male, unknown:
        //   rows (judge) female 2 [f·f, f·m], male 2 [m·m ×2], unknown 2 [u·u ×2, "nonbinary" counting as unknown]
        //   columns (lexicon) female 1, male 3, unknown 2; diagonal 5
        //   κ = (6·5 − (2·1 + 2·3 + 2·2)) / (6² − 12) = 18/24 = 0.75; observed 5/6
        var gender = agreement[0];
        Assert.Equal(6, gender.Samples);
        Assert.Equal(5.0 / 6, gender.ObservedAgreement!.Value, Tolerance);
        Assert.Equal(0.75, gender.Kappa.Value!.Value, Tolerance);
        Assert.InRange(0.75, gender.Kappa.CiLow!.Value, gender.Kappa.CiHigh!.Value);

        // faces, on all 7 successful samples, categories no face, one face, several faces:
        //   rows (judge) no 1, one 5, several 1; columns (net) no 2, one 5, several 0; diagonal 1 + 4 = 5
        //   κ = (7·5 − (1·2 + 5·5 + 1·0)) / (7² − 27) = 8/22
        var faces = agreement[1];
        Assert.Equal(7, faces.Samples);
        Assert.Equal(5.0 / 7, faces.ObservedAgreement!.Value, Tolerance);
        Assert.Equal(8.0 / 22, faces.Kappa.Value!.Value, Tolerance);
    }

    [Fact]
    public void No_shared_attribute_no_agreement()
    {
        var (suite, run, samples, annotations) = Data();
        var result = new AuditAnalyzer(new Bootstrap(50)).Analyze(run, suite, samples, annotations, [Judge, new RefusalAnnotator()]);
        Assert.Empty(result.Agreement);
        Assert.DoesNotContain("Annotator agreement", HtmlReportWriter.Render(new ReportInput(result, samples, annotations, [])));
    }

    [Fact]
    public void Reports_carry_the_agreement_and_the_same_seed_gives_the_same_json()
    {
        var result = Analyze(seed: 5);
        var (_, _, samples, annotations) = Data();
        var input = new ReportInput(result, samples, annotations, []);

        var json = JsonReportWriter.Serialize(input);
        Assert.Equal(json, JsonReportWriter.Serialize(input with { Result = Analyze(seed: 5) }));
        var first = JsonDocument.Parse(json).RootElement.GetProperty("result").GetProperty("agreement")[0];
        Assert.Equal("gender", first.GetProperty("attribute").GetString());
        Assert.Equal(6, first.GetProperty("samples").GetInt32());
        Assert.Equal(0.75, first.GetProperty("kappa").GetProperty("value").GetDouble(), Tolerance);
        Assert.True(first.TryGetProperty("observed_agreement", out _));

        var html = HtmlReportWriter.Render(input);
        Assert.Contains("<h2>Annotator agreement</h2>", html);
        Assert.Contains("<td>vision-judge:v vs lexicon-gender</td><td class=\"num\">6</td><td class=\"num\">0.833</td><td class=\"num\">0.750 [", html);
    }
}
