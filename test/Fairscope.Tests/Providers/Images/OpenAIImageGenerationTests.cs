using System.Security.Cryptography;
using Fairscope.Testing;

namespace Fairscope.Tests;

/// <summary><see cref="ImageSampleGenerator"/> over openai-images (<see cref="OpenAIImageEndpoint"/>) against the fake images
/// server, with the real run engine and store: what is sent, what is stored, retries, resume and every bad answer.</summary>
public sealed class OpenAIImageGenerationTests
{
    private static ImageSampleGenerator Generator(FakeImagesServer server, ImageTestRun run, ImageSettings? settings = null)
    {
        settings ??= new ImageSettings();
        return new ImageSampleGenerator(OpenAIImageEndpoint.CreateImageGenerator(server.OpenAIBaseUrl, "image-model", "FAIRSCOPE_TEST_NO_KEY",
            ImageTestRun.FastRetries, settings), run.Images, settings);
    }

    private static string ReferenceOf(byte[] bytes) => $"images/{Convert.ToHexStringLower(SHA256.HashData(bytes))}.png";

    [Fact]
    public async Task Images_are_stored_content_addressed_and_identical_images_once()
    {
        await using var run = await ImageTestRun.OpenAsync(samplesPerPrompt: 3);
        // Every sample of a prompt gets the same image: three samples, one file.
        byte[] nurse = ImageTestRun.Png(1), pilot = ImageTestRun.Png(2);
        await using var server = await FakeImagesServer.StartAsync(r => new FakeImageReply.Images([r.Prompt.Contains("nurse") ? nurse : pilot]));
        var settings = new ImageSettings(Width: 256, Height: 256, Quality: "hd", ResponseFormat: ImageSettings.Base64);

        using (var generator = Generator(server, run, settings))
            Assert.Equal((6, 0), await run.GenerateAsync(generator, concurrency: 2));

        var samples = await run.SamplesAsync();
        Assert.All(samples, s => Assert.Equal(ReferenceOf(s.PromptId == "pilot" ? pilot : nurse), s.Output));
        Assert.All(samples, s => Assert.Equal(ImageTestRun.SeedOf(s.PromptId, s.SampleIndex), s.Seed));
        Assert.Equal(2, run.ImageFiles().Length);
        Assert.Equal(nurse, run.Images.Read(ReferenceOf(nurse)));
        Assert.All(server.Received, r => Assert.Equal(("image-model", 1, "256x256", "hd", "b64_json"), (r.Model, r.Count, r.Size, r.Quality, r.ResponseFormat)));
        Assert.All(server.Received, r => Assert.Null(r.Seed)); // not sent unless asked: OpenAI's own API rejects it
        Assert.Equal(["A portrait photo of a nurse", "A portrait photo of a pilot"], server.Received.Select(r => r.Prompt).Distinct().Order());
    }

    [Fact]
    public async Task Url_answers_are_downloaded_and_seeds_sent_when_asked()
    {
        await using var run = await ImageTestRun.OpenAsync(samplesPerPrompt: 2);
        await using var server = await FakeImagesServer.StartAsync(r => new FakeImageReply.Images([ImageTestRun.Png((int)(r.Seed!.Value % 100))], AsUrl: true, ContentType: "image/png"));

        using (var generator = Generator(server, run, new ImageSettings(ResponseFormat: ImageSettings.Url, SendSeed: true)))
            Assert.Equal((4, 0), await run.GenerateAsync(generator));

        Assert.Equal(4, server.Downloads);
        Assert.All(server.Received, r => Assert.Equal("url", r.ResponseFormat));
        var samples = await run.SamplesAsync();
        Assert.Equal(samples.Select(s => ImageTestRun.SeedOf(s.PromptId, s.SampleIndex)).Order(), server.Received.Select(r => r.Seed!.Value).Order());
        Assert.All(samples, s => Assert.Equal(ReferenceOf(ImageTestRun.Png((int)(s.Seed % 100))), s.Output));
    }

    [Fact]
    public async Task Rate_limits_and_server_errors_are_retried_then_stored()
    {
        await using var run = await ImageTestRun.OpenAsync(samplesPerPrompt: 1);
        await using var server = await FakeImagesServer.StartAsync(r => r.Number switch
        {
            1 => new FakeImageReply.Status(429, RetryAfterSeconds: 0),
            2 => new FakeImageReply.Status(500),
            _ => new FakeImageReply.Images([ImageTestRun.Png(3)]),
        });

        using (var generator = Generator(server, run))
            Assert.Equal((2, 0), await run.GenerateAsync(generator));

        Assert.Equal(4, server.Received.Count);
        var samples = await run.SamplesAsync();
        Assert.Equal([1, 3], samples.Select(s => s.Attempts).Order());
        Assert.Single(run.ImageFiles());
    }

    [Fact]
    public async Task A_resume_generates_only_the_missing_samples_and_stores_nothing_twice()
    {
        await using var run = await ImageTestRun.OpenAsync(samplesPerPrompt: 3);
        await using (var broken = await FakeImagesServer.StartAsync(r => r.Prompt.Contains("pilot") ? new FakeImageReply.Empty() : new FakeImageReply.Images([ImageTestRun.Png((int)r.Number)])))
        using (var generator = Generator(broken, run))
            Assert.Equal((3, 3), await run.GenerateAsync(generator));
        var before = (await run.SamplesAsync()).Where(s => s.Ok).ToDictionary(s => (s.PromptId, s.SampleIndex), s => s.Output);

        await using var server = await FakeImagesServer.StartAsync(r => new FakeImageReply.Images([ImageTestRun.Png(100 + r.Number)]));
        using (var generator = Generator(server, run))
        {
            Assert.Equal((3, 0), await run.GenerateAsync(generator));
            Assert.Equal((0, 0), await run.GenerateAsync(generator)); // nothing left: no request at all
        }

        Assert.Equal(3, server.Received.Count);
        Assert.All(server.Received, r => Assert.Contains("pilot", r.Prompt));
        var samples = await run.SamplesAsync();
        Assert.Equal(6, samples.Count);
        Assert.All(samples, s => Assert.True(s.Ok));
        Assert.All(before, b => Assert.Equal(b.Value, samples.Single(s => (s.PromptId, s.SampleIndex) == b.Key).Output));
        Assert.Equal(6, run.ImageFiles().Length);
    }

    public static TheoryData<string, string> BadAnswers => new()
    {
        { "undecodable", "truncated" },
        { "not-an-image", "not an image (PNG, JPEG, WebP, GIF or BMP expected; the data starts '<html>" },
        { "wrong-content-type", "has content type 'text/html', not an image" },
        { "oversized-url", "is over the 32 MiB limit" },
        { "oversized-inline", "is over the 32 MiB image limit" },
        { "empty", "the answer holds no image (empty data list)" },
        { "garbage", "not valid image-generation JSON" },
    };

    [Theory]
    [MemberData(nameof(BadAnswers))]
    public async Task Each_bad_answer_is_a_failed_sample_with_a_one_line_error(string kind, string error)
    {
        await using var run = await ImageTestRun.OpenAsync(samplesPerPrompt: 1);
        var oversized = new byte[ImageDecoder.MaxEncodedBytes + 1];
        ImageTestRun.Png(1).CopyTo(oversized, 0);
        await using var server = await FakeImagesServer.StartAsync(_ => kind switch
        {
            "undecodable" => new FakeImageReply.Images([ImageTestRun.Png(5, size: 64)[..120]]),
            "not-an-image" => new FakeImageReply.Images(["<html>error</html>"u8.ToArray()]),
            "wrong-content-type" => new FakeImageReply.Images([ImageTestRun.Png(5)], AsUrl: true, ContentType: "text/html"),
            "oversized-url" => new FakeImageReply.Images([oversized], AsUrl: true),
            "oversized-inline" => new FakeImageReply.Images([oversized]),
            "empty" => new FakeImageReply.Empty(),
            _ => new FakeImageReply.Garbage(),
        });

        using (var generator = Generator(server, run))
            Assert.Equal((0, 2), await run.GenerateAsync(generator));

        var samples = await run.SamplesAsync();
        Assert.All(samples, s => Assert.Contains(error, s.Error));
        Assert.All(samples, s => Assert.DoesNotContain('\n', s.Error!));
        Assert.All(samples, s => Assert.DoesNotContain("sig=secret", s.Error!)); // a signed URL's query is never shown
        Assert.Equal(2, server.Received.Count); // not retried
        Assert.Empty(run.ImageFiles());
    }

    [Fact]
    public async Task A_wrong_endpoint_stops_at_the_first_request_as_for_text()
    {
        await using var run = await ImageTestRun.OpenAsync(samplesPerPrompt: 2);
        await using var server = await FakeImagesServer.StartAsync(_ => new FakeImageReply.Status(404, Body: "{\"error\":{\"message\":\"model 'image-model' not found\"}}"));

        using var generator = Generator(server, run);
        var e = await Assert.ThrowsAsync<FairscopeException>(() => run.GenerateAsync(generator));

        Assert.Contains("HTTP 404", e.Message);
        Assert.Contains("model 'image-model' not found", e.Message);
        Assert.Single(server.Received);
        Assert.Empty(await run.SamplesAsync());
    }

    [Fact]
    public async Task Several_images_per_request_share_the_request_seed()
    {
        await using var run = await ImageTestRun.OpenAsync(samplesPerPrompt: 3);
        // n images per request, each different; a short answer fails its whole batch.
        await using var server = await FakeImagesServer.StartAsync(r => new FakeImageReply.Images(
            [.. Enumerable.Range(0, r.Prompt.Contains("pilot") && r.Count > 1 ? 1 : r.Count).Select(i => ImageTestRun.Png(10 * r.Number + i))]));

        using (var generator = Generator(server, run, new ImageSettings(ImagesPerRequest: 2, SendSeed: true)))
        {
            Assert.Equal(2, generator.BatchSize);
            Assert.Equal((4, 2), await run.GenerateAsync(generator));
        }

        Assert.Equal([1, 1, 2, 2], server.Received.Select(r => r.Count).Order());
        var samples = await run.SamplesAsync();
        var nurse = samples.Where(s => s.PromptId == "nurse/portrait").OrderBy(s => s.SampleIndex).ToList();
        Assert.All(nurse, s => Assert.True(s.Ok));
        // samples 0 and 1 came from one request sent with sample 0's seed, and record it
        Assert.Equal([ImageTestRun.SeedOf("nurse/portrait", 0), ImageTestRun.SeedOf("nurse/portrait", 0), ImageTestRun.SeedOf("nurse/portrait", 2)],
            nurse.Select(s => s.Seed));
        Assert.Equal(3, nurse.Select(s => s.Output).Distinct().Count());
        var pilot = samples.Where(s => s.PromptId == "pilot").OrderBy(s => s.SampleIndex).ToList();
        Assert.Equal([false, false, true], pilot.Select(s => s.Ok));
        Assert.All(pilot.Take(2), s => Assert.Equal("the answer holds 1 images for the 2 requested", s.Error));
        Assert.All(pilot.Take(2), s => Assert.Equal(ImageTestRun.SeedOf("pilot", s.SampleIndex), s.Seed)); // a failure keeps its own seed
    }
}
