using System.Text.Json;
using Fairscope.Testing;
using Microsoft.Extensions.AI;

namespace Fairscope.Tests;

/// <summary><see cref="A1111ImageGenerator"/> against the fake server's <c>/sdapi/v1/txt2img</c>: the request body, the seeds
/// of a batch from <c>info</c>, retries and failures.</summary>
public sealed class A1111ImageGeneratorTests
{
    private static readonly ImageSettings Settings = new(Width: 512, Height: 768, NegativePrompt: "blurry, text", Steps: 25, CfgScale: 6.5, Sampler: "DPM++ 2M");

    private static ImageSampleGenerator Generator(FakeImagesServer server, ImageTestRun run, ImageSettings settings, string? model = null) =>
        new(new A1111ImageGenerator(server.Root, model, settings, TimeSpan.FromSeconds(30)).AsBuilder().UseRetries(ImageTestRun.FastRetries).Build(),
            run.Images, settings);

    [Fact]
    public async Task The_request_body_carries_every_setting_and_the_samples_seed()
    {
        await using var run = await ImageTestRun.OpenAsync(samplesPerPrompt: 1);
        await using var server = await FakeImagesServer.StartAsync(r => new FakeImageReply.Images([ImageTestRun.Png((int)r.Number)]));

        using (var generator = Generator(server, run, Settings, model: "sdxl_base.safetensors"))
            Assert.Equal((2, 0), await run.GenerateAsync(generator));

        var request = server.Received.Single(r => r.Prompt == "A portrait photo of a nurse");
        Assert.Equal(("a1111", "blurry, text", 25, 6.5, "DPM++ 2M"), (request.Api, request.NegativePrompt, request.Steps, request.CfgScale, request.Sampler));
        Assert.Equal((512, 768, 1, "sdxl_base.safetensors"), (request.Width, request.Height, request.Count, request.Model));
        Assert.Equal(ImageTestRun.SeedOf("nurse/portrait", 0), request.Seed);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(1, body.GetProperty("n_iter").GetInt32());
        Assert.True(body.GetProperty("send_images").GetBoolean());
        Assert.False(body.GetProperty("save_images").GetBoolean());
        Assert.All(await run.SamplesAsync(), s => Assert.Equal(ImageTestRun.SeedOf(s.PromptId, s.SampleIndex), s.Seed));
    }

    [Fact]
    public async Task Unset_settings_are_left_to_the_server()
    {
        await using var run = await ImageTestRun.OpenAsync(samplesPerPrompt: 1);
        await using var server = await FakeImagesServer.StartAsync(_ => new FakeImageReply.Images([ImageTestRun.Png(1)]));

        using (var generator = Generator(server, run, new ImageSettings()))
            await run.GenerateAsync(generator);

        var body = JsonDocument.Parse(server.Received.First().Body).RootElement;
        foreach (var name in new[] { "steps", "cfg_scale", "sampler_name", "width", "height", "override_settings" })
            Assert.False(body.TryGetProperty(name, out _), name);
        Assert.Equal("", body.GetProperty("negative_prompt").GetString());
    }

    [Fact]
    public async Task A_batch_stores_each_image_with_the_seed_that_produced_it_and_skips_the_grid()
    {
        await using var run = await ImageTestRun.OpenAsync(samplesPerPrompt: 3);
        var grid = ImageTestRun.Png(99, size: 16);
        await using var server = await FakeImagesServer.StartAsync(r => new FakeImageReply.Images(
            [.. Enumerable.Range(0, r.Count).Select(i => ImageTestRun.Png(10 * r.Number + i))],
            Seeds: [.. Enumerable.Range(0, r.Count).Select(i => 1000 * r.Number + i)], Grid: grid));

        using (var generator = Generator(server, run, Settings with { ImagesPerRequest = 3 }))
            Assert.Equal((6, 0), await run.GenerateAsync(generator));

        Assert.Equal([3, 3], server.Received.Select(r => r.Count));
        var samples = await run.SamplesAsync();
        foreach (var request in server.Received)
        {
            var prompt = request.Prompt.Contains("nurse") ? "nurse/portrait" : "pilot";
            Assert.Equal(ImageTestRun.SeedOf(prompt, 0), request.Seed); // a batch is sent with its first sample's seed
            var batch = samples.Where(s => s.PromptId == prompt).OrderBy(s => s.SampleIndex).ToList();
            Assert.Equal([1000L * request.Number, 1000L * request.Number + 1, 1000L * request.Number + 2], batch.Select(s => s.Seed));
            for (int i = 0; i < 3; i++) Assert.Equal(ImageTestRun.Png(10 * request.Number + i), run.Images.Read(batch[i].Output!));
        }
        Assert.Equal(6, run.ImageFiles().Length); // the grid is not a sample
    }

    [Fact]
    public async Task Unavailable_server_is_retried_and_a_wrong_path_stops_at_the_first_request()
    {
        await using (var run = await ImageTestRun.OpenAsync(samplesPerPrompt: 1))
        {
            await using var busy = await FakeImagesServer.StartAsync(r => r.Number == 1 ? new FakeImageReply.Status(503, RetryAfterSeconds: 0) : new FakeImageReply.Images([ImageTestRun.Png(2)]));
            using var generator = Generator(busy, run, Settings);
            Assert.Equal((2, 0), await run.GenerateAsync(generator));
            Assert.Equal([1, 2], (await run.SamplesAsync()).Select(s => s.Attempts).Order());
        }

        await using (var run = await ImageTestRun.OpenAsync(samplesPerPrompt: 1))
        {
            await using var missing = await FakeImagesServer.StartAsync(_ => new FakeImageReply.Status(404, Body: "{\"detail\":\"Not Found\"}"));
            using var generator = Generator(missing, run, Settings);
            var e = await Assert.ThrowsAsync<FairscopeException>(() => run.GenerateAsync(generator));
            Assert.Contains("HTTP 404: {\"detail\":\"Not Found\"}", e.Message);
            Assert.Empty(await run.SamplesAsync());
        }
    }

    [Fact]
    public async Task An_unreachable_server_stops_at_the_first_request()
    {
        await using var run = await ImageTestRun.OpenAsync(samplesPerPrompt: 1);
        using var generator = new ImageSampleGenerator(new A1111ImageGenerator("http://127.0.0.1:9", null, Settings, TimeSpan.FromSeconds(5))
            .AsBuilder().UseRetries(ImageTestRun.FastRetries).Build(), run.Images, Settings);

        var e = await Assert.ThrowsAsync<FairscopeException>(() => run.GenerateAsync(generator));

        Assert.Contains("endpoint looks wrong", e.Message);
        Assert.Contains("127.0.0.1:9", e.Message);
        Assert.Empty(await run.SamplesAsync());
    }

    [Fact]
    public async Task Bad_answers_are_failed_samples()
    {
        await using var run = await ImageTestRun.OpenAsync(samplesPerPrompt: 2);
        await using var server = await FakeImagesServer.StartAsync(r => r.Prompt.Contains("nurse") ? new FakeImageReply.Garbage()
            : new FakeImageReply.Images([ImageTestRun.Png(1)]));

        using (var generator = Generator(server, run, Settings with { ImagesPerRequest = 2 }))
            Assert.Equal((0, 4), await run.GenerateAsync(generator));

        var errors = (await run.SamplesAsync()).ToDictionary(s => (s.PromptId, s.SampleIndex), s => s.Error);
        Assert.Equal("the a1111 answer is not JSON (it starts '<html>this is not json</html>')", errors[("nurse/portrait", 0)]);
        Assert.Equal("the answer holds 1 images for the 2 requested", errors[("pilot", 1)]);
    }

    [Fact]
    public async Task Image_edits_are_refused()
    {
        using var generator = new A1111ImageGenerator(A1111ImageGenerator.DefaultBaseUrl, null, new ImageSettings(), TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<NotSupportedException>(() => generator.EditImageAsync(new DataContent(ImageTestRun.Png(1), "image/png"), "edit"));
        Assert.Equal("a1111", generator.GetService<ImageGeneratorMetadata>()!.ProviderName);
    }
}
