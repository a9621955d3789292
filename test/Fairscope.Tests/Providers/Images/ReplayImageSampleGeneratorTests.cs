namespace Fairscope.Tests;

/// <summary><see cref="ReplayImageSampleGenerator"/>: a folder keyed by prompt id and sample index, a manifest CSV, the content
/// hash, and one-line errors naming the file or line.</summary>
public sealed class ReplayImageSampleGeneratorTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private ImageStore Images => new(_temp.Sub("run"));

    private string Write(string relative, byte[] bytes)
    {
        var path = Path.Combine(_temp.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>nurse/portrait: samples 0 and 1; pilot: sample 0; plus a hidden file to skip.</summary>
    private string Folder()
    {
        Write("replay/nurse/portrait/0.png", ImageTestRun.Png(1));
        Write("replay/nurse/portrait/1.png", ImageTestRun.Png(2));
        Write("replay/pilot/0.png", ImageTestRun.Png(3));
        Write("replay/pilot/.DS_Store", [1, 2, 3]);
        return _temp.Sub("replay");
    }

    private FairscopeException LoadError(string path) =>
        Assert.Throws<FairscopeException>(() => ReplayImageSampleGenerator.Load(path, ImageTestRun.Suite, Images));

    [Fact]
    public async Task A_folder_replays_into_the_run_and_a_manifest_of_the_same_images_has_the_same_hash()
    {
        await using var run = await ImageTestRun.OpenAsync(samplesPerPrompt: 2);
        using var folder = ReplayImageSampleGenerator.Load(Folder(), ImageTestRun.Suite, run.Images);
        Assert.Equal(2, folder.MaxSamplesPerPrompt);

        Assert.Equal((3, 1), await run.GenerateAsync(folder));

        var samples = (await run.SamplesAsync()).ToDictionary(s => (s.PromptId, s.SampleIndex));
        Assert.Equal(ImageTestRun.Png(2), run.Images.Read(samples[("nurse/portrait", 1)].Output!));
        Assert.Equal("replay", samples[("pilot", 0)].FinishReason);
        Assert.Contains("has no image for prompt 'pilot' sample 1", samples[("pilot", 1)].Error);

        Write("manifest/extra/nurse-a.png", ImageTestRun.Png(1));
        Write("manifest/extra/nurse-b.png", ImageTestRun.Png(2));
        Write("manifest/pilot.png", ImageTestRun.Png(3));
        var csv = _temp.File("manifest/images.csv", "prompt_id,sample_index,file\nnurse/portrait,0,extra/nurse-a.png\npilot,0,pilot.png\n\"nurse/portrait\",1,extra/nurse-b.png\n");
        using var manifest = ReplayImageSampleGenerator.Load(csv, ImageTestRun.Suite, run.Images);
        Assert.Equal(folder.ContentHash, manifest.ContentHash);

        Write("replay/pilot/0.png", ImageTestRun.Png(4));
        Assert.NotEqual(folder.ContentHash, ReplayImageSampleGenerator.Load(_temp.Sub("replay"), ImageTestRun.Suite, run.Images).ContentHash);
    }

    [Fact]
    public async Task A_corrupt_file_is_a_failed_sample_naming_it()
    {
        await using var run = await ImageTestRun.OpenAsync(samplesPerPrompt: 1);
        var replay = Folder();
        var corrupt = Write("replay/pilot/0.png", ImageTestRun.Png(3, size: 64)[..120]);
        using var generator = ReplayImageSampleGenerator.Load(replay, ImageTestRun.Suite, run.Images);

        Assert.Equal((1, 1), await run.GenerateAsync(generator));

        var failed = (await run.SamplesAsync()).Single(s => !s.Ok);
        Assert.StartsWith($"{corrupt}: ", failed.Error);
        Assert.Contains("truncated", failed.Error);
    }

    [Fact]
    public void Folder_errors_name_the_file()
    {
        var replay = Folder();
        var unknown = Write("replay/doctor/0.png", ImageTestRun.Png(1));
        Assert.Equal($"{unknown}: prompt id 'doctor' is not in suite 'images' (ids look like 'nurse/portrait')", LoadError(replay).Message);
        File.Delete(unknown);

        // files are read in ordinal order, so 0.png is the second image of pilot's sample 0
        var duplicate = Write("replay/pilot/0.jpg", ImageTestRun.Png(1));
        Assert.Equal($"{Path.Combine(replay, "pilot", "0.png")}: prompt 'pilot' sample 0 already has an image ({duplicate})", LoadError(replay).Message);
        File.Delete(duplicate);

        var named = Write("replay/pilot/first.png", ImageTestRun.Png(1));
        Assert.Contains($"{named}: the file name must be the sample index, e.g. 0.png, not 'first.png'", LoadError(replay).Message);
        File.Delete(named);

        var loose = Write("replay/0.png", ImageTestRun.Png(1));
        Assert.Contains($"{loose}: an image must lie in the folder of its prompt id", LoadError(replay).Message);
        File.Delete(loose);

        var text = Write("replay/pilot/1.png", "not an image"u8.ToArray());
        Assert.Equal($"{text}: the file is not an image (PNG, JPEG, WebP, GIF or BMP expected)", LoadError(replay).Message);
    }

    [Theory]
    [InlineData("prompt_id,sample_index,file\npilot,0,a.png\ndoctor,0,a.png\n", ":3: prompt id 'doctor' is not in suite 'images'")]
    [InlineData("prompt_id,sample_index,file\npilot,0,a.png\npilot,0,b.png\n", ":3: prompt 'pilot' sample 0 already has an image (")]
    [InlineData("prompt_id,sample_index,file\npilot,0,missing.png\n", ":2: file 'missing.png' does not exist (")]
    [InlineData("prompt_id,sample_index,file\npilot,-1,a.png\n", ":2: sample_index '-1' must be a whole number ≥ 0")]
    [InlineData("prompt_id,sample_index,file\npilot,0,notes.txt\n", ":2: ")]
    [InlineData("prompt_id,sample_index,file\npilot,0\n", ":2: 2 fields where the header has 3")]
    [InlineData("prompt_id,file\npilot,a.png\n", ":1: the manifest header lacks column 'sample_index' (has: prompt_id, file)")]
    [InlineData("", ":1: the manifest needs a header row")]
    public void Manifest_errors_name_the_line(string content, string error)
    {
        Write("a.png", ImageTestRun.Png(1));
        Write("b.png", ImageTestRun.Png(2));
        _temp.File("notes.txt", "not an image");
        var csv = _temp.File("images.csv", content);

        var message = LoadError(csv).Message;

        Assert.StartsWith(csv + error, message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void Missing_and_empty_sources_are_errors()
    {
        Assert.Contains("do not exist", LoadError(_temp.Sub("nowhere")).Message);
        Directory.CreateDirectory(_temp.Sub("empty"));
        Assert.Contains("hold no images", LoadError(_temp.Sub("empty")).Message);
    }
}
