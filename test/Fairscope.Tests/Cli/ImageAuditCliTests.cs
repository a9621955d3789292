using Fairscope.Testing;

namespace Fairscope.Tests;

/// <summary><c>fairscope audit</c> with the image providers: usage errors exit 2 with one line, and a valid command stops
/// at the (not yet configured) image annotators before generating anything.</summary>
[Collection(CliCollection.Name)]
public sealed class ImageAuditCliTests
{
    [Theory]
    [InlineData("--provider openai-images", "--provider openai-images needs --model")]
    [InlineData("--provider openai-images --model m --steps 10", "--steps applies to --provider a1111, not openai-images")]
    [InlineData("--provider a1111 --quality hd", "--quality applies to --provider openai-images, not a1111")]
    [InlineData("--provider openai --model m --size 512x512", "--size applies to --provider openai-images or a1111, not openai")]
    [InlineData("--provider replay --replay-images dir", "--replay-images applies to --provider replay-images, not replay")]
    [InlineData("--provider a1111 --size 12", "--size '12' must be WIDTHxHEIGHT in pixels")]
    [InlineData("--provider a1111 --images-per-request 0", "--images-per-request 0 must be between 1 and 64")]
    [InlineData("--provider a1111 --steps 0", "--steps 0 must be between 1 and 1000")]
    [InlineData("--provider a1111 --cfg-scale -1", "--cfg-scale -1 must be above 0")]
    [InlineData("--provider openai-images --model m --response-format png", "--response-format 'png' must be url or b64_json")]
    [InlineData("--provider replay-images", "--provider replay-images needs --replay-images DIR|CSV")]
    [InlineData("--provider replay-images --replay-images /no/such/images", "replay images /no/such/images do not exist")]
    [InlineData("--provider a1111 --base-url ftp://host", "--base-url 'ftp://host' is not an http(s) URL")]
    public async Task Usage_errors_exit_two_with_one_line(string arguments, string error)
    {
        using var temp = new TempFolder();

        var (exit, errors) = await CliHarness.RunAsync(["audit", "--suite", "descriptors", "--out", temp.Sub("run"), .. arguments.Split(' ')]);

        Assert.Equal(2, exit);
        Assert.Contains(error, errors);
        Assert.Single(errors.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("a1111")]
    [InlineData("openai-images")]
    public async Task A_valid_image_audit_stops_at_the_image_annotators_before_generating(string provider)
    {
        using var temp = new TempFolder();
        await using var server = await FakeImagesServer.StartAsync(_ => new FakeImageReply.Images([ImageTestRun.Png(1)]));
        var baseUrl = provider == "a1111" ? server.Root : server.OpenAIBaseUrl;

        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", "descriptors", "--provider", provider, "--model", "m", "--base-url", baseUrl,
            "--size", "256x256", "--samples", "1", "--out", temp.Sub("run"));

        Assert.Equal(2, exit);
        Assert.Contains("no image annotator is configured yet", errors);
        Assert.Single(errors.Trim().Split('\n'));
        Assert.Empty(server.Received);
    }
}
