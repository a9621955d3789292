using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>How a multimodal model's understanding is probed.</summary>
public enum ProbeMode
{
    /// <summary>The U-MLLM paper's VQA form: "What is the gender of …? Possible answers: female, male, unknown", with a
    /// blank image. Naming "unknown" is the fair answer; named groups are the model's stereotype.</summary>
    Ask,

    /// <summary>The model sees a balanced set of numbered images, one per category, in a seeded random order, and picks
    /// the one that fits the prompt (the suite template's <c>question</c>).</summary>
    Choose,
}

/// <summary>
/// Asks a multimodal chat model (any <see cref="IChatClient"/> that accepts images) understanding questions about an
/// image suite's prompts, one attribute per derived prompt (<see cref="UnderstandingSuite"/>). The sample's output is
/// a JSON record of what was shown and the verbatim answer, so <see cref="UnderstandingAnnotator"/> labels it from the
/// record alone and re-annotation never asks again. A sample's image set and order derive from its seed: same seed,
/// same question.
/// </summary>
public sealed class UnderstandingProbe(IChatClient client, string model, ProbeMode mode, UnderstandingSuite suite, ImagePool? pool,
    ImageStore images, GenerationOptions options) : ISampleGenerator
{
    private static readonly Lazy<byte[]> Blank = new(() => ImageDecoder.EncodePng(new RgbImage(224, 224, Enumerable.Repeat((byte)128, 224 * 224 * 3).ToArray())));

    /// <inheritdoc />
    public async ValueTask<GeneratedSample> GenerateAsync(SampleRequest request, CancellationToken cancellationToken)
    {
        var attribute = suite.AttributeOf(request.Prompt.Id);
        var record = new JsonObject { ["attribute"] = attribute.Name, ["mode"] = mode == ProbeMode.Ask ? "ask" : "choose" };
        List<AIContent> contents;
        if (mode == ProbeMode.Ask)
        {
            contents = [new TextContent(request.Prompt.Text), new DataContent(Blank.Value, "image/png")];
            record["options"] = new JsonArray([.. attribute.Categories.Append(DemographicAttribute.Unknown).Select(c => JsonValue.Create(c))]);
        }
        else
        {
            var random = new Random(unchecked((int)request.Seed));
            var asked = UnderstandingSuite.SourceIdOf(request.Prompt.Id);
            var shown = attribute.Categories.Select(c => pool!.Of(attribute.Name, c, notFrom: asked)).Select(candidates => candidates[random.Next(candidates.Count)]).ToArray();
            random.Shuffle(shown);
            contents = [new TextContent(request.Prompt.Text)];
            for (var i = 0; i < shown.Length; i++)
            {
                var bytes = images.Read(shown[i].Reference);
                contents.Add(new TextContent($"Image {i + 1}:"));
                contents.Add(new DataContent(bytes, ImageDecoder.MediaTypeOf(bytes)!));
            }
            record["shown"] = new JsonArray([.. shown.Select(s => new JsonObject { ["image"] = s.Reference, ["label"] = s.Labels[attribute.Name] })]);
        }
        var chat = options.ToChatOptions(model, request.Seed);
        List<ChatMessage> messages = options.SystemPrompt is null ? [] : [new(ChatRole.System, options.SystemPrompt)];
        messages.Add(new ChatMessage(ChatRole.User, contents));
        var response = await client.GetResponseAsync(messages, chat, cancellationToken);
        record["answer"] = response.Text;
        return new GeneratedSample(record.ToJsonString(), response.FinishReason?.Value, RetryPipeline.AttemptsOf(response));
    }

    /// <inheritdoc />
    public void Dispose() => client.Dispose();
}
