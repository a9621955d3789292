using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Fairscope.Tests;

/// <summary>fairscope serve's OpenAI-compatible endpoints over a tiny in-process model.</summary>
public sealed class ServeEndpointTests
{
    [Fact]
    public async Task TheMicrosoftExtensionsAIOpenAIAdapterGetsTheBuiltinContinuation()
    {
        await using var serve = await ServeTestServer.StartAsync();
        var options = new OpenAIClientOptions { Endpoint = new Uri(serve.Server.BaseUrl) };
        using var client = new OpenAIClient(new System.ClientModel.ApiKeyCredential("no-key"), options).GetChatClient("builtin").AsIChatClient();
        var response = await client.GetResponseAsync(
            [new(ChatRole.System, ServeTestServer.System), new(ChatRole.User, ServeTestServer.User)],
            new ChatOptions { Temperature = 1, MaxOutputTokens = 10, Seed = 7 });

        // Messages joined with newlines, seed 7: what --provider builtin generates for this system prompt and prompt.
        var expected = serve.Model.Complete(ServeTestServer.System + "\n" + ServeTestServer.User, 10, 1, 7).Text;
        Assert.Equal(expected, response.Text);
        Assert.NotNull(response.FinishReason);
        Assert.True(response.Usage?.OutputTokenCount > 0);
    }

    [Fact]
    public async Task LogprobsAreTheModelsExactLogProbabilitiesOfTheGeneratedTokens()
    {
        await using var serve = await ServeTestServer.StartAsync();
        const long seed = 21;
        var body = await serve.PostOkAsync("/chat/completions", new
        {
            model = "builtin", messages = ServeTestServer.Messages, n = 2, seed, max_tokens = 20, temperature = 1, logprobs = true, top_logprobs = 3,
        });
        var prompt = ServeTestServer.System + "\n" + ServeTestServer.User;
        var context = serve.Model.Tokenizer.Encode(prompt);
        var choices = body.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal(2, choices.Count);
        foreach (var choice in choices)
        {
            int index = choice.GetProperty("index").GetInt32();
            var text = choice.GetProperty("message").GetProperty("content").GetString()!;
            var content = choice.GetProperty("logprobs").GetProperty("content").EnumerateArray().ToList();
            Assert.NotEmpty(content);
            double sum = content.Sum(t => t.GetProperty("logprob").GetDouble());

            // The tokens the model generates for choice i (seed + i), scored by the model.
            var ids = serve.Model.Model.Generate(context, 20, 1, 0, 1, seed + index, serve.Model.Tokenizer.EndOfTextId);
            if (ids.Length > 0 && ids[^1] == serve.Model.Tokenizer.EndOfTextId) ids = ids[..^1];
            Assert.Equal(serve.Model.Tokenizer.Decode(ids, skipSpecialTokens: true), text);
            Assert.Equal(ids.Length, content.Count);
            Assert.Equal(serve.Model.Model.LogProbabilities(context, ids).Total, sum, 1e-4);
            // The token bytes spell the text (an untrained model may also emit bytes that are no UTF-8, read as U+FFFD).
            if (!text.Contains('\uFFFD'))
                Assert.Equal(System.Text.Encoding.UTF8.GetBytes(text), content.SelectMany(t => t.GetProperty("bytes").EnumerateArray().Select(b => (byte)b.GetInt32())).ToArray());
            // Where the text re-encodes to the same tokens, LanguageModel.LogProbability of the returned text agrees.
            if (serve.Model.Tokenizer.Encode(text).SequenceEqual(ids))
                Assert.Equal(serve.Model.LogProbability(prompt, text), sum, 1e-4);

            foreach (var token in content)
            {
                var top = token.GetProperty("top_logprobs").EnumerateArray().Select(t => t.GetProperty("logprob").GetDouble()).ToList();
                Assert.Equal(3, top.Count);
                Assert.Equal(top.OrderByDescending(x => x), top);
                Assert.True(top[0] >= token.GetProperty("logprob").GetDouble() - 1e-12);
                Assert.True(top.Sum(Math.Exp) <= 1 + 1e-9);
            }
        }
        Assert.NotEqual(choices[0].GetProperty("message").GetProperty("content").GetString(), choices[1].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task CompletionsLogprobsSumToTheLogProbabilityOfTheTokens()
    {
        await using var serve = await ServeTestServer.StartAsync();
        var body = await serve.PostOkAsync("/completions", new { model = "builtin", prompt = ServeTestServer.User, seed = 4, max_tokens = 16, logprobs = 2 });
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        var choice = body.GetProperty("choices")[0];
        var logprobs = choice.GetProperty("logprobs");
        var context = serve.Model.Tokenizer.Encode(ServeTestServer.User);
        var ids = serve.Model.Model.Generate(context, 16, 1, 0, 1, 4, serve.Model.Tokenizer.EndOfTextId);
        if (ids.Length > 0 && ids[^1] == serve.Model.Tokenizer.EndOfTextId) ids = ids[..^1];
        Assert.Equal(serve.Model.Tokenizer.Decode(ids, skipSpecialTokens: true), choice.GetProperty("text").GetString());
        var tokenLogprobs = logprobs.GetProperty("token_logprobs").EnumerateArray().Select(x => x.GetDouble()).ToList();
        Assert.Equal(ids.Length, tokenLogprobs.Count);
        Assert.Equal(serve.Model.Model.LogProbabilities(context, ids).Total, tokenLogprobs.Sum(), 1e-4);
        Assert.Equal(ids.Length, logprobs.GetProperty("tokens").GetArrayLength());
        Assert.All(logprobs.GetProperty("top_logprobs").EnumerateArray(), top => Assert.InRange(top.EnumerateObject().Count(), 1, 2));
    }

    [Fact]
    public async Task GreedyDecodingPicksTheTopToken()
    {
        await using var serve = await ServeTestServer.StartAsync();
        var body = await serve.PostOkAsync("/chat/completions", new { messages = ServeTestServer.Messages, temperature = 0, max_tokens = 8, logprobs = true, top_logprobs = 1 });
        foreach (var token in body.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content").EnumerateArray())
            Assert.Equal(token.GetProperty("top_logprobs")[0].GetProperty("logprob").GetDouble(), token.GetProperty("logprob").GetDouble(), 1e-12);
    }

    [Fact]
    public async Task StreamedChunksConcatenateToTheNonStreamedText()
    {
        await using var serve = await ServeTestServer.StartAsync();
        var chat = new Dictionary<string, object> { ["messages"] = ServeTestServer.Messages, ["seed"] = 9, ["max_tokens"] = 24, ["n"] = 2 };
        var whole = await serve.PostOkAsync("/chat/completions", chat);
        chat["stream"] = true;
        var events = await serve.StreamAsync("/chat/completions", chat);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        for (int i = 0; i < 2; i++)
        {
            var mine = chunks.Select(c => c.GetProperty("choices")[0]).Where(c => c.GetProperty("index").GetInt32() == i).ToList();
            var text = string.Concat(mine.Select(c => c.GetProperty("delta").TryGetProperty("content", out var d) ? d.GetString() : ""));
            Assert.Equal(whole.GetProperty("choices")[i].GetProperty("message").GetProperty("content").GetString(), text);
            Assert.True(mine.Count > 2, "one chunk per token expected");
            Assert.Equal(whole.GetProperty("choices")[i].GetProperty("finish_reason").GetString(), mine[^1].GetProperty("finish_reason").GetString());
        }

        var completion = new Dictionary<string, object> { ["prompt"] = ServeTestServer.User, ["seed"] = 3, ["max_tokens"] = 24, ["logprobs"] = 1 };
        var wholeText = await serve.PostOkAsync("/completions", completion);
        completion["stream"] = true;
        var textEvents = await serve.StreamAsync("/completions", completion);
        Assert.Equal("[DONE]", textEvents[^1]);
        var textChunks = textEvents[..^1].Select(e => JsonDocument.Parse(e).RootElement.GetProperty("choices")[0]).ToList();
        Assert.Equal(wholeText.GetProperty("choices")[0].GetProperty("text").GetString(), string.Concat(textChunks.Select(c => c.GetProperty("text").GetString())));
        // Streamed logprobs are the same numbers, one token per chunk.
        var streamedLogprobs = textChunks.Where(c => c.GetProperty("logprobs").ValueKind == JsonValueKind.Object)
            .SelectMany(c => c.GetProperty("logprobs").GetProperty("token_logprobs").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Equal(wholeText.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("token_logprobs").EnumerateArray().Select(x => x.GetDouble()), streamedLogprobs);
    }

    [Fact]
    public async Task StopSequencesCutTheText()
    {
        await using var serve = await ServeTestServer.StartAsync();
        var free = (await serve.PostOkAsync("/completions", new { prompt = ServeTestServer.User, seed = 5, max_tokens = 24, temperature = 1 }))
            .GetProperty("choices")[0].GetProperty("text").GetString()!;
        Assert.True(free.Length >= 4, free);
        var stop = free.Substring(free.Length / 2, 2);
        var body = await serve.PostOkAsync("/completions", new { prompt = ServeTestServer.User, seed = 5, max_tokens = 24, temperature = 1, stop, logprobs = 0 });
        var choice = body.GetProperty("choices")[0];
        var text = choice.GetProperty("text").GetString()!;
        Assert.Equal(free[..free.IndexOf(stop, StringComparison.Ordinal)], text);
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        var tokens = choice.GetProperty("logprobs").GetProperty("tokens").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.StartsWith(string.Concat(tokens).Replace("\uFFFD", ""), text.Replace("\uFFFD", ""));
    }

    [Fact]
    public async Task EqualSeededRequestsGetEqualAnswersConcurrently()
    {
        await using var serve = await ServeTestServer.StartAsync();
        var request = new { messages = ServeTestServer.Messages, seed = 13, max_tokens = 16 };
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => serve.PostOkAsync("/chat/completions", request)));
        Assert.Single(answers.Select(a => a.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()).Distinct());
    }

    [Fact]
    public async Task ModelsListsTheServedModel()
    {
        await using var serve = await ServeTestServer.StartAsync();
        var models = JsonDocument.Parse(await serve.Http.GetStringAsync(serve.Server.BaseUrl + "/models")).RootElement;
        Assert.Equal("list", models.GetProperty("object").GetString());
        Assert.Equal("builtin", models.GetProperty("data")[0].GetProperty("id").GetString());
    }

    public static TheoryData<string, string, string?> InvalidRequests => new()
    {
        { "/chat/completions", "{not json", null },
        { "/chat/completions", "[1, 2]", null },
        { "/chat/completions", """{"model": "builtin"}""", "messages" },
        { "/chat/completions", """{"messages": []}""", "messages" },
        { "/chat/completions", """{"messages": "hi"}""", "messages" },
        { "/chat/completions", """{"messages": [{"role": "wizard", "content": "hi"}]}""", "messages[0].role" },
        { "/chat/completions", """{"messages": [{"role": "user"}]}""", "messages[0].content" },
        { "/chat/completions", """{"messages": [{"role": "user", "content": [{"type": "image_url"}]}]}""", "messages[0].content" },
        { "/chat/completions", """{"messages": [{"role": "user", "content": "hi"}], "max_tokens": 0}""", "max_tokens" },
        { "/chat/completions", """{"messages": [{"role": "user", "content": "hi"}], "max_tokens": 65}""", "max_tokens" },
        { "/chat/completions", """{"messages": [{"role": "user", "content": "hi"}], "max_completion_tokens": -1}""", "max_completion_tokens" },
        { "/chat/completions", """{"messages": [{"role": "user", "content": "hi"}], "temperature": 2.5}""", "temperature" },
        { "/chat/completions", """{"messages": [{"role": "user", "content": "hi"}], "temperature": "hot"}""", "temperature" },
        { "/chat/completions", """{"messages": [{"role": "user", "content": "hi"}], "top_p": 0}""", "top_p" },
        { "/chat/completions", """{"messages": [{"role": "user", "content": "hi"}], "top_p": 1.5}""", "top_p" },
        { "/chat/completions", """{"messages": [{"role": "user", "content": "hi"}], "n": 0}""", "n" },
        { "/chat/completions", """{"messages": [{"role": "user", "content": "hi"}], "n": 9}""", "n" },
        { "/chat/completions", """{"messages": [{"role": "user", "content": "hi"}], "seed": 1.5}""", "seed" },
        { "/chat/completions", """{"messages": [{"role": "user", "content": "hi"}], "stream": "yes"}""", "stream" },
        { "/chat/completions", """{"messages": [{"role": "user", "content": "hi"}], "logprobs": true, "top_logprobs": 6}""", "top_logprobs" },
        { "/chat/completions", """{"messages": [{"role": "user", "content": "hi"}], "top_logprobs": 2}""", "top_logprobs" },
        { "/chat/completions", """{"messages": [{"role": "user", "content": "hi"}], "stop": ["a", "b", "c", "d", "e"]}""", "stop" },
        { "/chat/completions", """{"messages": [{"role": "user", "content": "hi"}], "stop": 3}""", "stop" },
        { "/chat/completions", """{"messages": [{"role": "user", "content": "hi"}], "model": 7}""", "model" },
        { "/completions", """{"model": "builtin"}""", "prompt" },
        { "/completions", """{"prompt": ["a", "b"]}""", "prompt" },
        { "/completions", """{"prompt": "hi", "logprobs": 6}""", "logprobs" },
        { "/completions", """{"prompt": "hi", "logprobs": true}""", "logprobs" },
        { "/completions", """{"prompt": "hi", "echo": true}""", "echo" },
        { "/completions", """{"prompt": "hi", "max_tokens": 1000}""", "max_tokens" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task InvalidRequestsGet400WithAnOpenAIStyleError(string path, string body, string? param)
    {
        await using var serve = await ServeTestServer.StartAsync();
        var (status, text) = await serve.PostAsync(path, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("code").ValueKind);
        Assert.DoesNotContain("   at ", text);
    }

    [Fact]
    public async Task UnknownRoutesGet404WithAnError()
    {
        await using var serve = await ServeTestServer.StartAsync();
        using var response = await serve.Http.GetAsync(serve.Server.BaseUrl + "/embeddings");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("invalid_request_error", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("type").GetString());
    }
}
