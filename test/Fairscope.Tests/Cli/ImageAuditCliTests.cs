using Fairscope.Testing;

namespace Fairscope.Tests;

/// <summary><c>fairscope audit</c> with the image providers: usage errors exit 2 with one line, before anything is generated.</summary>
[Collection(CliCollection.Name)]
public sealed class ImageAuditCliTests
{
    [Theory]
    [InlineData("--provider openai-images", "--provider openai-images needs --model")]
    [InlineData("--provider openai-images --model m --steps 10", "--steps applies to --provider a1111 or builtin-diffusion, not openai-images")]
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

        var (exit, errors) = await CliHarness.RunAsync(["audit", "--suite", "occupation-portraits", "--out", temp.Sub("run"), .. arguments.Split(' ')]);

        Assert.Equal(2, exit);
        Assert.Contains(error, errors);
        Assert.Single(errors.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("a1111")]
    [InlineData("openai-images")]
    public async Task Missing_face_weights_stop_the_audit_before_generating(string provider)
    {
        using var temp = new TempFolder();
        await using var server = await FakeImagesServer.StartAsync(_ => new FakeImageReply.Images([ImageTestRun.Png(1)]));
        var baseUrl = provider == "a1111" ? server.Root : server.OpenAIBaseUrl;

        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", "occupation-portraits", "--provider", provider, "--model", "m", "--base-url", baseUrl,
            "--size", "256x256", "--samples", "1", "--out", temp.Sub("run"), "--face-models", temp.Sub("no-weights"));

        Assert.Equal(2, exit);
        Assert.Contains("no ssd_mobilenetv1_model-weights_manifest.json here", errors);
        Assert.Single(errors.Trim().Split('\n'));
        Assert.Empty(server.Received);
    }

    [Theory]
    [InlineData("--suite occupations --provider a1111", "--provider a1111 makes images, but suite 'occupations' is for text models")]
    [InlineData("--suite occupation-portraits --provider openai --model m", "suite 'occupation-portraits' asks for images")]
    [InlineData("--suite occupation-portraits --provider a1111 --understanding guess", "--understanding 'guess' must be ask or choose")]
    [InlineData("--suite occupation-portraits --provider a1111 --understanding-model m", "the --understanding-* options need --understanding ask|choose")]
    [InlineData("--suite occupation-portraits --provider a1111 --understanding ask --understanding-images x.csv", "--understanding-images is for choose mode")]
    [InlineData("--suite occupations --provider openai --model m --base-url http://127.0.0.1:9/v1 --face-models dir", "--face-models and --face-classifier label images")]
    [InlineData("--suite occupation-portraits --provider a1111 --understanding ask", "--understanding needs --understanding-model")]
    [InlineData("--suite occupation-portraits --provider a1111 --understanding ask --understanding-model m", "--understanding needs --understanding-base-url")]
    [InlineData("--suite occupation-portraits --provider a1111 --understanding choose --understanding-model m --understanding-base-url http://127.0.0.1:9/v1 --understanding-images no.csv", "--understanding-images no.csv does not exist")]
    public async Task Mismatched_suites_and_modes_exit_two_with_one_line(string arguments, string error)
    {
        using var temp = new TempFolder();

        var (exit, errors) = await CliHarness.RunAsync(["audit", "--out", temp.Sub("run"), .. arguments.Split(' ')]);

        Assert.Equal(2, exit);
        Assert.Contains(error, errors);
        Assert.Single(errors.Trim().Split('\n'));
    }
}
