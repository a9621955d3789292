using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>Samples through an <see cref="IChatClient"/>: one user message (after an optional system prompt) per sample.</summary>
public sealed class ChatSampleGenerator(IChatClient client, string model, GenerationOptions options) : ISampleGenerator
{
    /// <inheritdoc />
    public async ValueTask<GeneratedSample> GenerateAsync(SampleRequest request, CancellationToken cancellationToken)
    {
        List<ChatMessage> messages = [];
        if (options.SystemPrompt is { } system) messages.Add(new(ChatRole.System, system));
        messages.Add(new(ChatRole.User, request.Prompt.Text));
        var chatOptions = options.ToChatOptions(model, request.Seed);
        (chatOptions.AdditionalProperties ??= [])[SampleRequest.IndexProperty] = request.SampleIndex;
        var response = await client.GetResponseAsync(messages, chatOptions, cancellationToken);
        // An empty message with a finish reason (content filter, zero-length answer) is the model's answer; with no
        // finish reason, the endpoint sent no choice at all.
        if (string.IsNullOrWhiteSpace(response.Text) && response.FinishReason is null)
            throw new InvalidDataException("the endpoint returned no output (empty choice list)");
        var attempts = RetryPipeline.AttemptsOf(response);
        return new GeneratedSample(response.Text, response.FinishReason?.Value, attempts);
    }

    /// <inheritdoc />
    public void Dispose() => client.Dispose();
}
