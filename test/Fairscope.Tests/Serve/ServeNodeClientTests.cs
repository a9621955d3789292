using System.Diagnostics;
using System.Text.Json;

namespace Fairscope.Tests;

/// <summary>A fact that needs node and the openai npm package in test/node (installed by .ci/run); skipped, with the
/// reason, only where either is absent.</summary>
public sealed class NodeOpenAIClientFactAttribute : FactAttribute
{
    public NodeOpenAIClientFactAttribute()
    {
        if (ServeNodeClientTests.Unavailable() is { } reason) Skip = reason;
    }
}

/// <summary>The official openai npm client against fairscope serve.</summary>
public sealed class ServeNodeClientTests
{
    public static string NodeDirectory => Path.Combine(RepositoryPaths.Root, "test", "node");
    public static string Script => Path.Combine(RepositoryPaths.Root, "test", "Fairscope.Tests", "Serve", "openai-client.mjs");

    /// <summary>Why the test cannot run here, or null.</summary>
    public static string? Unavailable()
    {
        if (!File.Exists(Path.Combine(NodeDirectory, "node_modules", "openai", "package.json")))
            return "the openai npm package is not installed: run 'npm ci --prefix test/node' (.ci/run does)";
        return NodeRuntime.Unavailable();
    }

    [NodeOpenAIClientFact]
    public async Task TheOfficialOpenAINodeClientGetsChoicesLogprobsAndAStream()
    {
        await using var serve = await ServeTestServer.StartAsync();
        var start = new ProcessStartInfo("node", [Script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["FAIRSCOPE_BASE_URL"] = serve.Server.BaseUrl;
        start.Environment["FAIRSCOPE_NODE_DIR"] = NodeDirectory;
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, await errors);
        var result = JsonDocument.Parse(await output).RootElement;

        var chat = result.GetProperty("chat");
        Assert.Equal("chat.completion", chat.GetProperty("object").GetString());
        var choices = chat.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal(2, choices.Count);
        var prompt = ServeTestServer.System + "\n" + ServeTestServer.User;
        var context = serve.Model.Tokenizer.Encode(prompt);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(i, choices[i].GetProperty("index").GetInt32());
            var text = choices[i].GetProperty("content").GetString()!;
            // n = 2, seed 11: choice i is what the builtin provider generates with seed 11 + i.
            Assert.Equal(serve.Model.Complete(prompt, 12, 1, 11 + i).Text, text);
            var ids = serve.Model.Model.Generate(context, 12, 1, 0, 1, 11 + i, serve.Model.Tokenizer.EndOfTextId);
            if (ids.Length > 0 && ids[^1] == serve.Model.Tokenizer.EndOfTextId) ids = ids[..^1];
            var logprobs = choices[i].GetProperty("logprobs").EnumerateArray().ToList();
            Assert.Equal(ids.Length, logprobs.Count);
            Assert.Equal(serve.Model.Model.LogProbabilities(context, ids).Total, logprobs.Sum(t => t.GetProperty("logprob").GetDouble()), 1e-4);
            Assert.All(logprobs, t => Assert.Equal(3, t.GetProperty("top").GetArrayLength()));
        }

        // The streamed chat completion (seed 11, n = 1) concatenates to choice 0.
        var stream = result.GetProperty("stream");
        Assert.Equal(choices[0].GetProperty("content").GetString(), stream.GetProperty("text").GetString());
        Assert.True(stream.GetProperty("chunks").GetInt32() > 2);
        Assert.Equal(choices[0].GetProperty("finish_reason").GetString(), stream.GetProperty("finish_reason").GetString());
        Assert.StartsWith("4.", result.GetProperty("version").GetString());
    }
}
