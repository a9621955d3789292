using Fairscope.Testing;
using Microsoft.Extensions.AI;

namespace Fairscope.Tests;

public sealed class FairPromptingImageGeneratorTests
{
    private static ImageSampleGenerator Generator(FakeImagesServer server, ImageStore images, Intervention intervention) =>
        new(OpenAIImageEndpoint.CreateImageGenerator(server.OpenAIBaseUrl, "image-model", "FAIRSCOPE_TEST_NO_KEY", ImageTestRun.FastRetries, new ImageSettings())
            .AsBuilder().UseFairPrompting(new FairPromptingOptions(intervention, ImageTestRun.Suite.Attributes)).Build(), images, new ImageSettings());

    [Fact]
    public async Task BalancedExpansionAppendsOneSpecPerImage()
    {
        await using var run = await ImageTestRun.OpenAsync(samplesPerPrompt: 4);
        await using var server = await FakeImagesServer.StartAsync(_ => new FakeImageReply.Images([ImageTestRun.Png(1)]));
        using var generator = Generator(server, run.Images, Intervention.Balanced);

        await run.GenerateAsync(generator);

        var nurse = server.Received.Select(r => r.Prompt).Where(p => p.StartsWith("A portrait photo of a nurse", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, nurse.Count(p => p == "A portrait photo of a nurse, a woman"));
        Assert.Equal(2, nurse.Count(p => p == "A portrait photo of a nurse, a man"));
    }

    [Fact]
    public async Task EthicalClauseIsAppendedAndSelfDebiasingIsRefused()
    {
        await using var run = await ImageTestRun.OpenAsync(samplesPerPrompt: 1);
        await using var server = await FakeImagesServer.StartAsync(_ => new FakeImageReply.Images([ImageTestRun.Png(1)]));
        using var generator = Generator(server, run.Images, Intervention.Ethical);

        await run.GenerateAsync(generator);

        Assert.Contains(server.Received, r => r.Prompt == "A portrait photo of a pilot, " + new FairPromptingOptions(Intervention.Ethical, []).ImageClause);
        Assert.Throws<FairscopeException>(() => Generator(server, run.Images, Intervention.SelfDebias));
    }
}
