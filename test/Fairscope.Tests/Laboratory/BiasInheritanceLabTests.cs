using System.Text.Json;

namespace Fairscope.Tests;

/// <summary>The laboratory end to end at a toy size: every stage runs, results are deterministic for a seed, a rerun
/// loads cached models and stored audits instead of redoing them, and every mitigation is measured.</summary>
public sealed class BiasInheritanceLabTests
{
    /// <summary>Settings small enough for seconds: one-layer 16-wide models, a few steps, two samples per prompt.</summary>
    internal static LabSettings Toy(int seed = 0) => LabSettings.Demo(seed) with
    {
        People = 10, Model = new GptConfig(1, 128, 1, 2, 16), VocabularySize = 300, TeacherSteps = 20, StudentSteps = 20, PreferenceSteps = 5,
        MixSize = 48, Ratios = [0, 1], Seeds = 1, SamplesPerPrompt = 2, MaxNewTokens = 12, TestBiographies = 2,
    };

    [Fact]
    public async Task Same_seed_same_results_and_a_rerun_trains_and_samples_nothing()
    {
        using var temp = new TempFolder();
        var first = await RunAsync(temp.Sub("cache-a"), temp.Sub("out-a"), new LabProgress(null));
        var second = await RunAsync(temp.Sub("cache-b"), temp.Sub("out-b"), new LabProgress(null));
        Assert.Equal(Comparable(first), Comparable(second));

        var reports = new List<RunProgress>();
        var rerun = await RunAsync(temp.Sub("cache-a"), temp.Sub("out-a"), new LabProgress(new SynchronousProgress<RunProgress>(reports.Add)));
        Assert.Equal(Comparable(first), Comparable(rerun));
        Assert.DoesNotContain(reports, r => r.Stage == LabProgress.Train); // every model came from the cache
        Assert.DoesNotContain(reports, r => r.Stage == LabProgress.Sample && r.Done > 0); // every audit was stored

        Assert.Equal(["r0.00", "r1.00"], first.Sweep.Select(c => c.Name));
        Assert.Equal(LabMethod.Mitigations.Select(m => m.Name), first.Mitigations.Select(m => m.Method.Name));
        Assert.All(first.Mitigations, m => Assert.Equal("r0.50", m.Baseline));
        Assert.All(first.Sweep.Append(first.Teacher), c =>
        {
            Assert.Equal(["gender", "race", "age", "gender_x_race"], c.GenerationBias.Keys);
            Assert.InRange(c.Probes.BiasScore, 0, 1);
            Assert.True(c.Fidelity.Perplexity > 1);
            Assert.Equal(WorldOccupations.All.Count * 2, c.Classification["gender"].Rows);
        });
        var html = await File.ReadAllTextAsync(Path.Combine(temp.Sub("out-a"), "report.html"));
        Assert.Contains("<svg", html);
        Assert.Contains("Mitigations at γ = 0.500", html);
    }

    private static async Task<LabResult> RunAsync(string cache, string output, LabProgress progress)
    {
        var result = await new BiasInheritanceLab(Toy(), new ModelCache(cache), output, progress).RunAsync("test", sweep: true, LabMethod.Mitigations, CancellationToken.None);
        await LabReport.WriteAsync(result, output);
        return result;
    }

    // Everything but the wall time.
    private static string Comparable(LabResult result) => JsonSerializer.Serialize(result with { Seconds = 0 });
}
