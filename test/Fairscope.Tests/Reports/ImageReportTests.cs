namespace Fairscope.Tests;

/// <summary>The HTML report of an image run: embedded thumbnails, contact sheets, escaping, size.</summary>
public sealed class ImageReportTests
{
    private static readonly Suite Suite = SuiteLoader.Parse("""
        name: portraits
        modality: image
        attributes: {gender: {categories: [female, male]}}
        templates: [{id: p, text: "A photo of the face of {a:job}"}]
        slots: {job: [pilot, nurse, "baker <b>"]}
        """, "portraits.yaml");

    // Noise images: the worst case for JPEG thumbnails, so the size bound holds for photos too.
    private static ReportInput Input(string folder, int perPrompt)
    {
        var images = new ImageStore(folder);
        var random = new Random(1);
        var samples = new List<SampleRecord>();
        var annotations = new List<AnnotationRecord>();
        foreach (var prompt in Suite.Prompts)
            for (var i = 0; i < perPrompt; i++)
            {
                var pixels = new byte[64 * 64 * 3];
                random.NextBytes(pixels);
                var reference = images.Put(ImageDecoder.EncodePng(new RgbImage(64, 64, pixels)), "test");
                samples.Add(new SampleRecord(prompt.Id, i, i, reference, null, null, 1, 1));
                annotations.Add(new AnnotationRecord(prompt.Id, i, "fake", "1", "gender", i % 3 == 0 ? "female" : i % 3 == 1 ? "male" : "unknown", null));
            }
        var spec = new RunSpec("r", Suite.Name, Suite.SourceText, "replay-images", "m", null, perPrompt, 0, "{}");
        var run = new RunInfo(1, spec, RunInfo.Completed, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, samples.Count, 0);
        var annotator = new FakeAnnotator { Attributes = ["gender"] };
        var result = new AuditAnalyzer(new Bootstrap(100)).Analyze(run, Suite, samples, annotations, [annotator]);
        return new ReportInput(result, samples, annotations, [], images);
    }

    [Fact]
    public void ContactSheetsEmbedEveryImageWithItsLabelAndEscapeText()
    {
        using var folder = new TempFolder();
        var html = HtmlReportWriter.Render(Input(folder.Path, 4));
        // 12 images on the contact sheets, and 3 example images under each of the 3 prompts in the gender section.
        Assert.Equal(12 + 3 * 3, CountOf(html, "<figure class=\"thumb\"><img src=\"data:image/jpeg;base64,"));
        Assert.Contains("<h4>female (2)</h4>", html);
        Assert.Contains("<h4>unknown (1)</h4>", html);
        Assert.Contains("baker &lt;b&gt;", html);
        Assert.DoesNotContain("baker <b>", html);
        Assert.Contains("assign to generated images", html);
    }

    [Fact]
    public void AThousandImagesMakeAReportUnderTwentyMegabytes()
    {
        using var folder = new TempFolder();
        var html = HtmlReportWriter.Render(Input(folder.Path, 334));
        Assert.True(html.Length < 20_000_000, $"report is {html.Length / 1e6:0.0} MB");
    }

    private static int CountOf(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
