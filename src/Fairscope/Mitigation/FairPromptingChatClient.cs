using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>
/// Applies an inference-time <see cref="Intervention"/> to every request: <see cref="Intervention.Balanced"/> appends the
/// sample's demographic spec ("The person is a young Black woman.") to the last user message, choosing it from the sample
/// index that Fairscope's generators pass under <see cref="SampleRequest.IndexProperty"/> (else from
/// <see cref="ChatOptions.Seed"/>; see <see cref="BalancedAssignment"/>); <see cref="Intervention.Ethical"/> puts
/// <see cref="FairPromptingOptions.Instruction"/> first as a system message; <see cref="Intervention.SelfDebias"/> asks for
/// a draft, then sends it back with <see cref="FairPromptingOptions.ReviewInstruction"/> and returns the revision, its
/// attempt count (<see cref="RetryPipeline.AttemptsProperty"/>) covering both requests.
/// </summary>
public sealed class FairPromptingChatClient : DelegatingChatClient
{
    private readonly FairPromptingOptions _options;
    private readonly BalancedAssignment? _balanced;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    public FairPromptingChatClient(IChatClient innerClient, FairPromptingOptions options) : base(innerClient)
    {
        _options = options;
        _balanced = options.Intervention == Intervention.Balanced ? new BalancedAssignment(options.Attributes) : null;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var (list, forwarded) = Prepare(messages, options);
        var response = await base.GetResponseAsync(list, forwarded, cancellationToken);
        if (_options.Intervention != Intervention.SelfDebias) return response;
        var revised = await base.GetResponseAsync([.. list, .. response.Messages, new(ChatRole.User, _options.ReviewInstruction)], forwarded, cancellationToken);
        (revised.AdditionalProperties ??= [])[RetryPipeline.AttemptsProperty] = RetryPipeline.AttemptsOf(response) + RetryPipeline.AttemptsOf(revised);
        return revised;
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        if (_options.Intervention == Intervention.SelfDebias) throw new NotSupportedException("self-debiasing needs the whole draft; use GetResponseAsync");
        var (list, forwarded) = Prepare(messages, options);
        return base.GetStreamingResponseAsync(list, forwarded, cancellationToken);
    }

    // The messages as sent, and the options without the sample index (it is for this layer, not the provider).
    private (List<ChatMessage> Messages, ChatOptions? Options) Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var list = messages.ToList();
        int? index = null;
        if (options?.AdditionalProperties?.TryGetValue<int>(SampleRequest.IndexProperty, out var i) == true)
        {
            index = i;
            options = options.Clone();
            options.AdditionalProperties!.Remove(SampleRequest.IndexProperty);
        }
        if (_options.Intervention == Intervention.Ethical)
        {
            // One system message: some chat templates reject or drop a second one, so the instruction goes before the caller's.
            var system = list.FindIndex(m => m.Role == ChatRole.System);
            if (system < 0) list.Insert(0, new(ChatRole.System, _options.Instruction));
            else list[system] = new(ChatRole.System, _options.Instruction + "\n\n" + list[system].Text);
        }
        if (_balanced is not null)
        {
            var last = list.FindLastIndex(m => m.Role == ChatRole.User);
            if (last < 0) throw new ArgumentException("balanced prompting needs a user message", nameof(messages));
            var phrase = DemographicPhrase.Of(_balanced.Attributes, _balanced.For(index, options?.Seed));
            list[last] = new(ChatRole.User, $"{list[last].Text}\n\nThe person is {phrase}.");
        }
        return (list, options);
    }
}
