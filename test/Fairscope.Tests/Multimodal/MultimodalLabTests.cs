namespace Fairscope.Tests;

/// <summary>The multimodal laboratory end to end at a toy size: every stage runs and reports, the same seed gives the same
/// results, and a rerun loads cached models and stored audits instead of redoing them.</summary>
public sealed class MultimodalLabTests
{
    [Fact]
    public async Task Every_stage_runs_deterministically_and_a_rerun_trains_and_samples_nothing()
    {
        using var temp = new TempFolder();
        var first = await RunAsync(temp.Sub("cache-a"), temp.Sub("out-a"), new LabProgress(null));
        var second = await RunAsync(temp.Sub("cache-b"), temp.Sub("out-b"), new LabProgress(null));
        Assert.Equal(Comparable(first), Comparable(second));

        var reports = new List<RunProgress>();
        var rerun = await RunAsync(temp.Sub("cache-a"), temp.Sub("out-a"), new LabProgress(new SynchronousProgress<RunProgress>(reports.Add)));
        Assert.Equal(Comparable(first), Comparable(rerun));
        Assert.DoesNotContain(reports, r => r.Stage == LabProgress.Train);
        Assert.DoesNotContain(reports, r => r.Stage == LabProgress.Sample && r.Done > 0);

        Assert.Equal(["base", "swap", "sft", "bpo", "understanding"], first.Models.Select(m => m.Name));
        Assert.All(first.Models, m =>
        {
            Assert.Equal(["gender", "race", "age", "gender_x_race", "gender_x_race_x_age"], m.GenerationBias.Keys);
            Assert.Equal(PortraitData.QuestionAttributes, m.UnderstandingAccuracy.Keys);
            Assert.Equal(["gender", "race", "age"], m.Alignment.Select(a => a.Attribute));
            Assert.True(File.Exists(Path.Combine(temp.Sub("out-a"), m.Report, "report.html")));
            Assert.True(File.Exists(Path.Combine(temp.Sub("out-a"), m.Report, PortraitAuditor.ModelSheet)));
        });
        Assert.Equal(["gender", "race", "age"], first.Locate.Probe.Select(p => p.Attribute));
        Assert.Equal(PortraitWorld.Occupations.Count * 2, first.Locate.Exact.Locations.Count);
        Assert.All(first.Locate.Exact.Locations, l => Assert.All(l.Divergences.Values, d => Assert.InRange(d, 0, 1)));
        Assert.NotEmpty(first.Findings);

        var report = await MultimodalReport.WriteAsync(first, temp.Sub("out-a"));
        var html = await File.ReadAllTextAsync(report);
        Assert.Contains("Where the bias lives", html);
        Assert.Contains("data:image/png;base64,", html);
    }

    private static Task<MultimodalResult> RunAsync(string cache, string output, LabProgress progress) =>
        new MultimodalLab(MultimodalSettings.Tiny(), new ModelCache(cache), output, progress).RunAsync(CancellationToken.None);

    // Everything but the wall time.
    private static string Comparable(MultimodalResult result) =>
        System.Text.Json.JsonSerializer.Serialize(result with { WallSeconds = 0 }, JsonReportWriter.Options);
}
