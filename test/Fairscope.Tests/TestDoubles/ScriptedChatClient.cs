using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Fairscope.Tests;

/// <summary>
/// Hand-written <see cref="IChatClient"/> that answers with scripted texts in order and records every request.
/// The message list is copied at call time, because callers may keep appending to the list they passed.
/// </summary>
public sealed class ScriptedChatClient(params string[] answers) : IChatClient
{
    private readonly Queue<string> _answers = new(answers);
    private readonly List<IReadOnlyList<ChatMessage>> _requests = [];
    private readonly List<ChatOptions?> _options = [];

    /// <summary>The messages of each request, in call order (snapshots).</summary>
    public IReadOnlyList<IReadOnlyList<ChatMessage>> Requests => _requests;

    /// <summary>The options of each request, in call order.</summary>
    public IReadOnlyList<ChatOptions?> Options => _options;

    /// <summary>Requests made so far.</summary>
    public int Calls => _requests.Count;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        _requests.Add(messages.ToList());
        _options.Add(options);
        if (_answers.Count == 0) throw new InvalidOperationException($"the script has no answer for request {_requests.Count}");
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, _answers.Dequeue())));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates()) yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}
