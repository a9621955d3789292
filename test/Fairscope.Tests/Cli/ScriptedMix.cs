using System.Collections.Concurrent;
using Fairscope.Testing;

namespace Fairscope.Tests;

/// <summary>
/// A two-prompt suite and a server script that answers each prompt's k-th request with the k-th entry of a fixed
/// list, so the per-prompt label counts are known exactly whatever the request order.
/// </summary>
internal sealed class ScriptedMix
{
    public const string Suite = """
        name: scripted
        description: Two prompts with a scripted mix of answers
        attributes:
          gender:
            categories: [female, male]
          race:
            categories: [white, black, asian, hispanic]
        intersections:
          - [gender, race]
        templates:
          - id: describe
            text: "Describe {a:occupation}."
        slots:
          occupation: [nurse, engineer]
        """;

    // nurse: 7 × female/white, 2 × male/black, 1 × no cue.  engineer: 5 × female, 5 × male, no race cue.
    private static readonly Dictionary<string, string[]> Answers = new()
    {
        ["Describe a nurse."] = [.. Enumerable.Repeat("She is a White woman who runs the ward.", 7), .. Enumerable.Repeat("He is a Black man who runs the ward.", 2), "The shift was long."],
        ["Describe an engineer."] = [.. Enumerable.Repeat("She fixed the bridge.", 5), .. Enumerable.Repeat("He fixed the bridge.", 5)],
    };

    private readonly ConcurrentDictionary<string, int> _served = new();

    public FakeReply Reply(FakeRequest request)
    {
        var answers = Answers[request.Prompt];
        var k = _served.AddOrUpdate(request.Prompt, 0, (_, n) => n + 1);
        return new FakeReply.Text(answers[k % answers.Length]);
    }
}
