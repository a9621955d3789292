namespace Fairscope.Tests;

/// <summary>The diffusion laboratory end to end at a toy size: every stage runs and reports, the same seed gives the same
/// results, and a rerun loads cached models, edits and stored audits instead of redoing them.</summary>
public sealed class DiffusionLabTests
{
    [Fact]
    public async Task Every_stage_runs_deterministically_and_a_rerun_trains_searches_and_samples_nothing()
    {
        using var temp = new TempFolder();
        var first = await RunAsync(temp.Sub("cache-a"), temp.Sub("out-a"), new LabProgress(null));
        var second = await RunAsync(temp.Sub("cache-b"), temp.Sub("out-b"), new LabProgress(null));
        Assert.Equal(Comparable(first, decimals: 3), Comparable(second, decimals: 3));

        var reports = new List<RunProgress>();
        var rerun = await RunAsync(temp.Sub("cache-a"), temp.Sub("out-a"), new LabProgress(new SynchronousProgress<RunProgress>(reports.Add)));
        Assert.Equal(Comparable(first), Comparable(rerun));
        Assert.DoesNotContain(reports, r => r.Stage is LabProgress.Train or LabProgress.Edit);
        Assert.DoesNotContain(reports, r => r.Stage == LabProgress.Sample && r.Done > 0);

        Assert.Equal(["base", "mist", "separate"], first.Models.Select(m => m.Name));
        Assert.All(first.Models, m =>
        {
            Assert.Equal(["gender", "race", "age", "gender_x_race", "gender_x_race_x_age"], m.Bias.Keys);
            Assert.Equal(m.Bias.Keys, m.Deviation.Keys);
            Assert.True(File.Exists(Path.Combine(temp.Sub("out-a"), m.Report, "report.html")));
            Assert.True(File.Exists(Path.Combine(temp.Sub("out-a"), m.Report, PortraitAuditor.ModelSheet)));
        });
        Assert.Equal(0, first.Models[0].PreservedDrift.Value);
        Assert.Equal(["gender_x_race_x_age"], first.Searches["mist"].Select(s => s.Attribute));
        Assert.Equal(24, first.Searches["mist"][0].Classes.Count);
        Assert.Equal(["gender", "race", "age"], first.Searches["separate"].Select(s => s.Attribute));
        Assert.NotEmpty(first.Findings);

        // The edited models are ordinary model directories whose U-Nets differ from the base only in attn2.to_k/to_v (which
        // keep their values too when the search's best round was the first, with all weights zero).
        var cache = new ModelCache(temp.Sub("cache-a"));
        var unets = Directory.GetDirectories(Path.Combine(cache.Root, "models"), "diffusion-model*")
            .ToDictionary(d => Path.GetFileName(d).Split('-')[^2], d => Path.Combine(d, DiffusionModel.UNetFolder, DiffusionModel.UNetWeightsFile));
        using (var original = SafetensorsReader.Open(unets["model"]))
        using (var edited = SafetensorsReader.Open(unets["mist"]))
            foreach (var entry in original.Header.Tensors)
            {
                using var a = original.Load(entry.Name);
                using var b = edited.Load(entry.Name);
                if (!CrossAttentionLayers.IsProjection(entry.Name)) Assert.True(a.allclose(b, rtol: 0, atol: 0), entry.Name);
            }

        var report = await DiffusionReport.WriteAsync(first, temp.Sub("out-a"));
        var html = await File.ReadAllTextAsync(report);
        Assert.Contains("Weight searches", html);
        Assert.Contains("data:image/png;base64,", html);
    }

    private static Task<DiffusionResult> RunAsync(string cache, string output, LabProgress progress) =>
        new DiffusionLab(DiffusionSettings.Tiny(), new ModelCache(cache), output, progress).RunAsync(CancellationToken.None);

    // Everything but the wall time; two fresh runs are compared to a few decimals, because under the parallel test load the
    // math library may split a reduction differently and change a pixel by one level (an idle machine gives identical
    // files, as the demo's reruns show); a rerun from the cache is compared exactly.
    private static string Comparable(DiffusionResult result, int? decimals = null)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(result with { WallSeconds = 0 }, JsonReportWriter.Options);
        return decimals is not { } d ? json : System.Text.RegularExpressions.Regex.Replace(json, @"-?\d+\.\d+(?:[eE][-+]?\d+)?",
            m => Math.Round(double.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture), d).ToString($"F{d}", System.Globalization.CultureInfo.InvariantCulture));
    }
}
