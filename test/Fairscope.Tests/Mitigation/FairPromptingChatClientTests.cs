using Fairscope.Testing;
using Microsoft.Extensions.AI;

namespace Fairscope.Tests;

public sealed class FairPromptingChatClientTests
{
    private static readonly Suite Suite = SuiteLoader.Parse("""
        name: nurses
        attributes:
          gender: {categories: [female, male]}
        prompts:
          - {id: nurse, text: "Describe a nurse."}
        """, "nurses.yaml");

    private static readonly RetryOptions FastRetries = new(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(30));

    private static ChatSampleGenerator Generator(FakeOpenAIServer server, Intervention intervention) =>
        new(OpenAIEndpoint.CreateChatClient(server.BaseUrl, "fake", "FAIRSCOPE_TEST_NO_KEY", FastRetries).AsBuilder()
            .UseFairPrompting(new FairPromptingOptions(intervention, Suite.Attributes)).Build(), "fake", new GenerationOptions());

    private static async Task<List<GeneratedSample>> SampleAsync(ISampleGenerator generator, int n)
    {
        var samples = new List<GeneratedSample>();
        for (var i = 0; i < n; i++) samples.Add(await generator.GenerateAsync(new SampleRequest(Suite.Prompts[0], i, SampleSeeds.For(0, "nurse", i)), CancellationToken.None));
        return samples;
    }

    [Fact]
    public async Task BalancedExpansionSpecifiesTheTargetSplitPerPrompt()
    {
        await using var server = await FakeOpenAIServer.StartAsync(r => new FakeReply.Text("ok"));
        using var generator = Generator(server, Intervention.Balanced);

        await SampleAsync(generator, 10);

        var prompts = server.Received.Select(r => r.Prompt).ToList();
        Assert.Equal(5, prompts.Count(p => p == "Describe a nurse.\n\nThe person is a woman."));
        Assert.Equal(5, prompts.Count(p => p == "Describe a nurse.\n\nThe person is a man."));
    }

    [Fact]
    public async Task WithoutASampleIndexTheSeedDrawsTheSpec()
    {
        await using var server = await FakeOpenAIServer.StartAsync(r => new FakeReply.Text("ok"));
        using var client = OpenAIEndpoint.CreateChatClient(server.BaseUrl, "fake", "FAIRSCOPE_TEST_NO_KEY", FastRetries).AsBuilder()
            .UseFairPrompting(new FairPromptingOptions(Intervention.Balanced, Suite.Attributes)).Build();

        await client.GetResponseAsync("Describe a nurse.", new ChatOptions { Seed = 42 });
        await client.GetResponseAsync("Describe a nurse.", new ChatOptions { Seed = 42 });

        var prompts = server.Received.Select(r => r.Prompt).ToList();
        Assert.Matches("^Describe a nurse\\.\n\nThe person is a (wo)?man\\.$", prompts[0]);
        Assert.Equal(prompts[0], prompts[1]);
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("Describe a nurse."));
    }

    [Fact]
    public async Task EthicalInstructionArrivesAsTheFirstSystemMessage()
    {
        await using var server = await FakeOpenAIServer.StartAsync(r => new FakeReply.Text("ok"));
        using var generator = Generator(server, Intervention.Ethical);

        await SampleAsync(generator, 1);

        var messages = Assert.Single(server.Received).Messages!;
        Assert.Equal(("system", new FairPromptingOptions(Intervention.Ethical, []).Instruction), messages[0]);
        Assert.Equal(("user", "Describe a nurse."), messages[1]);
    }

    [Fact]
    public async Task EthicalInstructionJoinsAnExistingSystemMessageInsteadOfAddingASecond()
    {
        await using var server = await FakeOpenAIServer.StartAsync(r => new FakeReply.Text("ok"));
        using var client = new OpenAI.OpenAIClient(new System.ClientModel.ApiKeyCredential("k"), new OpenAI.OpenAIClientOptions { Endpoint = new Uri(server.BaseUrl) })
            .GetChatClient("m").AsIChatClient().AsBuilder().UseFairPrompting(new FairPromptingOptions(Intervention.Ethical, [])).Build();

        await client.GetResponseAsync([new(ChatRole.System, "Be brief."), new(ChatRole.User, "Describe a nurse.")]);

        var messages = Assert.Single(server.Received).Messages!;
        Assert.Equal(2, messages.Count);
        Assert.Equal(("system", new FairPromptingOptions(Intervention.Ethical, []).Instruction + "\n\nBe brief."), messages[0]);
    }

    [Fact]
    public async Task SelfDebiasingRevisesTheDraftInASecondRequest()
    {
        var review = new FairPromptingOptions(Intervention.SelfDebias, []).ReviewInstruction;
        await using var server = await FakeOpenAIServer.StartAsync(r => new FakeReply.Text(r.Prompt == review ? "They are a nurse." : "He is a nurse."));
        using var generator = Generator(server, Intervention.SelfDebias);

        var sample = Assert.Single(await SampleAsync(generator, 1));

        Assert.Equal("They are a nurse.", sample.Output);
        Assert.Equal(2, sample.Attempts);
        var second = server.Received.Last().Messages!;
        Assert.Equal([("user", "Describe a nurse."), ("assistant", "He is a nurse."), ("user", review)], second);
    }

    [Fact]
    public async Task SelfDebiasingCountsRetriesOfBothRequests()
    {
        var review = new FairPromptingOptions(Intervention.SelfDebias, []).ReviewInstruction;
        var failedOnce = 0;
        await using var server = await FakeOpenAIServer.StartAsync(r =>
            r.Prompt == review && Interlocked.Exchange(ref failedOnce, 1) == 0 ? new FakeReply.Status(503) : new FakeReply.Text("fine"));
        using var generator = Generator(server, Intervention.SelfDebias);

        var sample = Assert.Single(await SampleAsync(generator, 1));

        Assert.Equal(3, sample.Attempts);
    }
}
