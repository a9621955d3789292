namespace Fairscope.Tests;

/// <summary>A real store and run in a temporary folder for image-provider tests, with test images and fast retries.</summary>
internal sealed class ImageTestRun : IAsyncDisposable
{
    public const long RunSeed = 11;

    /// <summary>Two prompts; the first id has a '/', as template ids do.</summary>
    public static readonly Suite Suite = SuiteLoader.Parse("""
        name: images
        attributes:
          gender: {categories: [female, male]}
        prompts:
          - {id: nurse/portrait, text: "A portrait photo of a nurse"}
          - {id: pilot, text: "A portrait photo of a pilot"}
        """, "images.yaml");

    /// <summary>Retries without waiting, so tests need no timers.</summary>
    public static readonly RetryOptions FastRetries = new(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(30));

    private readonly TempFolder _folder;

    private ImageTestRun(TempFolder folder, SqliteRunStore store, RunInfo run)
    {
        (_folder, Store, Run) = (folder, store, run);
        Images = new ImageStore(Path.Combine(folder.Path, "run"));
    }

    public SqliteRunStore Store { get; }
    public RunInfo Run { get; }
    public ImageStore Images { get; }
    public string Temp => _folder.Path;

    public static async Task<ImageTestRun> OpenAsync(int samplesPerPrompt)
    {
        var folder = new TempFolder();
        var store = SqliteRunStore.Open(Path.Combine(folder.Path, "run", SqliteRunStore.FileName));
        var run = await store.OpenRunAsync(new RunSpec("images", Suite.Name, Suite.SourceText, "fake-images", "fake", null, samplesPerPrompt, RunSeed, "{}"));
        return new ImageTestRun(folder, store, run);
    }

    public Task<(int Succeeded, int Failed)> GenerateAsync(ISampleGenerator generator, int concurrency = 1) =>
        new RunEngine(Store, generator, concurrency).GenerateAsync(Run, Suite, CancellationToken.None);

    public async Task<List<SampleRecord>> SamplesAsync() => await Store.ReadSamplesAsync(Run.Id).ToListAsync();

    /// <summary>Files in the run's images/ folder.</summary>
    public string[] ImageFiles()
    {
        var folder = Path.Combine(Images.RunFolder, ImageStore.FolderName);
        return Directory.Exists(folder) ? Directory.GetFiles(folder) : [];
    }

    public static long SeedOf(string promptId, int index) => SampleSeeds.For(RunSeed, promptId, index);

    /// <summary>A small valid PNG whose pixels depend on <paramref name="shade"/>.</summary>
    public static byte[] Png(int shade, int size = 8)
    {
        var pixels = new byte[size * size * 3];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(shade * 31 + i % 7);
        return ImageDecoder.EncodePng(new RgbImage(size, size, pixels));
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _folder.Dispose();
    }
}
