using Microsoft.Extensions.AI;

namespace Fairscope.Tests;

/// <summary><see cref="PromptFidelity"/>: CLIPScore by hand, with deterministic embedders written here.</summary>
public sealed class PromptFidelityTests : IDisposable
{
    private const double Tolerance = 1e-6; // embeddings are floats
    private static readonly double Diagonal = 2.5 / Math.Sqrt(2); // CLIPScore at 45°: 2.5 · cos 45° = 1.767767

    /// <summary>Maps each known text to a fixed vector; counts the texts it embedded.</summary>
    private sealed class TableTextEmbedder(Dictionary<string, float[]> table) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public List<string> Embedded { get; } = [];

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            var list = values.ToList();
            Embedded.AddRange(list);
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(list.Select(t => new Embedding<float>(table[t]))));
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }

    /// <summary>Embeds an image as the RGB of its top-left pixel, or as <see cref="Fixed"/> when set; records each request's size.</summary>
    private sealed class PixelImageEmbedder : IEmbeddingGenerator<DataContent, Embedding<float>>
    {
        public List<int> Batches { get; } = [];

        public float[]? Fixed { get; init; }

        public int Missing { get; init; }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<DataContent> values, EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            var list = values.ToList();
            Batches.Add(list.Count);
            Assert.All(list, v => Assert.Equal("image/png", v.MediaType));
            var vectors = list.Skip(Missing).Select(v =>
            {
                var pixels = ImageDecoder.Decode(v.Data.Span, "test").Pixels;
                return new Embedding<float>(Fixed ?? [pixels[0], pixels[1], pixels[2]]);
            });
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(vectors));
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }

    private static readonly Dictionary<string, float[]> Texts = new()
    {
        ["a red square"] = [1, 0, 0],
        ["a yellow square"] = [1, 1, 0],
        ["anything but red"] = [-1, 0, 0],
        ["a square"] = [1, 1, 1],
    };

    private static SuitePrompt Prompt(string id, string text) =>
        new(id, text, new Dictionary<string, string>(), new Dictionary<string, IReadOnlyDictionary<string, double>>());

    private static readonly IReadOnlyList<SuitePrompt> Prompts =
        [Prompt("red", "a red square"), Prompt("yellow", "a yellow square"), Prompt("not-red", "anything but red"), Prompt("empty", "a square")];

    private readonly TempFolder _folder = new();
    private readonly ImageStore _images;

    public PromptFidelityTests() => _images = new ImageStore(_folder.Path);

    public void Dispose() => _folder.Dispose();

    private string Image(byte r, byte g, byte b) => _images.Put(TestImages.SolidPng(r, g, b), "test image");

    /// <summary>
    /// red:     red, red, yellow      → cos 1, 1, 1/√2   → 2.5, 2.5, 1.767767 → mean 2.255922
    /// yellow:  yellow, green, failed → cos 1, 1/√2      → 2.5, 1.767767      → mean 2.133883
    /// not-red: red, blue             → cos −1, 0        → 0, 0 (clipped)     → mean 0
    /// empty:   no sample             → no value
    /// </summary>
    private List<SampleRecord> Samples()
    {
        var (red, yellow, green, blue) = (Image(255, 0, 0), Image(255, 255, 0), Image(0, 255, 0), Image(0, 0, 255));
        SampleRecord Ok(string prompt, int index, string output) => new(prompt, index, 0, output, null, "stop", 1, 1);
        return [Ok("red", 0, red), Ok("red", 1, red), Ok("red", 2, yellow), Ok("yellow", 0, yellow), Ok("yellow", 1, green),
            new("yellow", 2, 0, null, "timeout", null, 1, 3), Ok("not-red", 0, red), Ok("not-red", 1, blue)];
    }

    [Fact]
    public void ClipScore_by_hand()
    {
        Assert.Equal(2.5, PromptFidelity.ClipScore([1, 2, 3], [2, 4, 6]), 1e-12);   // same direction, any length
        Assert.Equal(1.25, PromptFidelity.ClipScore([1, 0], [1, MathF.Sqrt(3)]), 1e-6); // 60°: 2.5 · 0.5
        Assert.Equal(0.0, PromptFidelity.ClipScore([1, 0], [0, 1]));                   // orthogonal
        Assert.Equal(0.0, PromptFidelity.ClipScore([1, 0], [-1, 0]));                  // opposite: clipped at 0
        Assert.Equal(50.0, PromptFidelity.ClipScore([1, 0], [1, MathF.Sqrt(3)], weight: 100), 1e-4); // torchmetrics' scale
        Assert.True(double.IsNaN(PromptFidelity.ClipScore([0, 0], [1, 0])));
        Assert.Throws<ArgumentException>(() => PromptFidelity.ClipScore([1, 0], [1, 0, 0]));
    }

    [Fact]
    public async Task Per_prompt_and_overall_means()
    {
        var text = new TableTextEmbedder(Texts);
        var image = new PixelImageEmbedder();
        var result = await PromptFidelity.ComputeAsync(Samples(), Prompts, text, image, _images, new Bootstrap(200, 0.95, 1));

        Assert.Equal(["red", "yellow", "not-red", "empty"], result.Prompts.Select(p => p.PromptId));
        Assert.Equal([3, 2, 2, 0], result.Prompts.Select(p => p.Images));
        Assert.Equal(7, result.Images);
        Assert.Equal((5 + Diagonal) / 3, result.Prompts[0].ClipScore.Value!.Value, Tolerance);
        Assert.Equal((2.5 + Diagonal) / 2, result.Prompts[1].ClipScore.Value!.Value, Tolerance);
        Assert.Equal(0.0, result.Prompts[2].ClipScore.Value!.Value, Tolerance);
        Assert.Equal(new Estimate(null, null, null, null), result.Prompts[3].ClipScore);

        // over the three prompts with images: (2.255922 + 2.133883 + 0) / 3; the least faithful prompt is not-red
        var overall = result.ClipScore;
        Assert.Equal(((5 + Diagonal) / 3 + (2.5 + Diagonal) / 2) / 3, overall.Mean!.Value, Tolerance);
        Assert.Equal(3, overall.Prompts);
        Assert.Equal("not-red", overall.WorstPrompt);
        Assert.Equal(0.0, overall.Worst!.Value, Tolerance);

        // each prompt text once (none for the prompt without images); each distinct image once (red is stored once)
        Assert.Equal(["a red square", "a yellow square", "anything but red"], text.Embedded);
        Assert.Equal([4], image.Batches);
    }

    [Fact]
    public async Task Intervals_resample_each_prompts_images_and_repeat_with_the_seed()
    {
        var samples = Samples();
        Task<PromptFidelityResult> Run(int seed) =>
            PromptFidelity.ComputeAsync(samples, Prompts, new TableTextEmbedder(Texts), new PixelImageEmbedder(), _images, new Bootstrap(300, 0.95, seed));
        var result = await Run(1);

        // red's resampled means lie between its smallest and largest score
        var red = result.Prompts[0].ClipScore;
        Assert.InRange(red.CiLow!.Value, Diagonal - Tolerance, red.Value!.Value);
        Assert.InRange(red.CiHigh!.Value, red.Value.Value, 2.5 + Tolerance);
        // not-red scores 0 on every image: a degenerate interval
        Assert.Equal((0.0, 0.0), (result.Prompts[2].ClipScore.CiLow!.Value, result.Prompts[2].ClipScore.CiHigh!.Value));
        Assert.InRange(result.ClipScore.Mean!.Value, result.ClipScore.CiLow!.Value, result.ClipScore.CiHigh!.Value);

        var again = await Run(1);
        Assert.Equal(result.ClipScore, again.ClipScore);
        Assert.Equal(result.Prompts, again.Prompts);
    }

    [Fact]
    public async Task Images_are_embedded_in_batches()
    {
        var samples = Enumerable.Range(0, 20).Select(i => new SampleRecord("red", i, 0, Image((byte)(100 + i), 0, 0), null, "stop", 1, 1)).ToList();
        var image = new PixelImageEmbedder();
        var result = await PromptFidelity.ComputeAsync(samples, Prompts, new TableTextEmbedder(Texts), image, _images, new Bootstrap(50));
        Assert.Equal([PromptFidelity.ImageBatch, 20 - PromptFidelity.ImageBatch], image.Batches);
        Assert.Equal(2.5, result.Prompts[0].ClipScore.Value!.Value, Tolerance);
    }

    [Fact]
    public async Task Text_outputs_and_broken_embedders_are_refused()
    {
        var text = new TableTextEmbedder(Texts);
        var bootstrap = new Bootstrap(10);
        var textSample = new SampleRecord("red", 0, 0, "A red square.", null, "stop", 1, 1);
        var error = await Assert.ThrowsAsync<FairscopeException>(() =>
            PromptFidelity.ComputeAsync([textSample], Prompts, text, new PixelImageEmbedder(), _images, bootstrap));
        Assert.Contains("red sample 0 is text", error.Message);

        error = await Assert.ThrowsAsync<FairscopeException>(() =>
            PromptFidelity.ComputeAsync(Samples(), Prompts, text, new PixelImageEmbedder { Fixed = [1, 0] }, _images, bootstrap));
        Assert.Contains("3 dimensions but the image embedder 2", error.Message);

        error = await Assert.ThrowsAsync<FairscopeException>(() =>
            PromptFidelity.ComputeAsync(Samples(), Prompts, text, new PixelImageEmbedder { Fixed = [0, 0, 0] }, _images, bootstrap));
        Assert.Contains("zero", error.Message);

        error = await Assert.ThrowsAsync<FairscopeException>(() =>
            PromptFidelity.ComputeAsync(Samples(), Prompts, text, new PixelImageEmbedder { Missing = 1 }, _images, bootstrap));
        Assert.Contains("returned 3 embeddings for 4 inputs", error.Message);
    }
}
