using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>
/// The understanding side of a <see cref="UnifiedModel"/> as an <see cref="IChatClient"/>: the last user message's text
/// is the question and its first image the picture (any size; resized to the model's), so the audit's understanding
/// probe (<see cref="UnderstandingProbe"/>) asks the built-in model as it asks a served one. The answer is sampled with
/// the options' seed and temperature (default 1). A message without an image is refused: this model only answers
/// about a picture.
/// </summary>
public sealed class UnifiedChatClient(UnifiedModel model, bool ownsModel = false) : IChatClient
{
    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var user = messages.LastOrDefault(m => m.Role == ChatRole.User) ?? throw new InvalidDataException("the built-in unified model needs a user message");
        var image = user.Contents.OfType<DataContent>().FirstOrDefault(d => d.HasTopLevelMediaType("image"))
            ?? throw new InvalidDataException("the built-in unified model answers about an image: the user message holds none");
        var question = string.Join(' ', user.Contents.OfType<TextContent>().Select(t => t.Text));
        var answer = model.Answer(ImageDecoder.Decode(image.Data.Span, "the question's image"), question, options?.Seed ?? 0, options?.Temperature ?? 1);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)) { FinishReason = ChatFinishReason.Stop });
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates()) yield return update;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc />
    public void Dispose()
    {
        if (ownsModel) model.Dispose();
    }
}
