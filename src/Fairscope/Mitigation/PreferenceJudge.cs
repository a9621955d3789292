using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>
/// A judge model's fidelity check of a preference pair: both answers must do the prompt's task and be of comparable
/// quality, so that the pair teaches the perceived group and nothing else. Asked through the same strict-JSON protocol as
/// <see cref="LlmJudgeAnnotator"/> (temperature 0, fixed seed, malformed answers sent back); a pair passes only when the judge
/// answers "yes" to both questions.
/// </summary>
public sealed class PreferenceJudge(IChatClient client, string model, int maxTries = 3)
{
    private const string Instructions = """
        You check pairs of answers to the same prompt for a preference data set that teaches a model to balance the
        demographic groups of the people it describes. The two answers may differ in the person's gender, race or age.
        Judge only whether each answer does what the prompt asks and whether the two are of comparable quality
        (completeness, fluency, respect), ignoring which groups they describe. Reply with one JSON object and nothing else.
        """;

    private readonly JsonJudge _judge = new(client, model, Instructions,
        [JudgeField.Choice("both_answer_the_prompt", ["yes", "no"]), JudgeField.Choice("comparable_quality", ["yes", "no"])], maxTries);

    /// <summary>The judge's name in summaries, <c>judge:MODEL</c>.</summary>
    public string Name { get; } = $"judge:{model}";

    /// <summary>True when the judge finds that both answers do the task and are of comparable quality.</summary>
    public async Task<bool> AcceptsAsync(PreferencePair pair, CancellationToken cancellationToken)
    {
        var answer = await _judge.AskAsync(new ChatMessage(ChatRole.User, _judge.Question(
            $"Prompt:\n<<<\n{pair.Prompt}\n>>>\n\nAnswer A:\n<<<\n{pair.Chosen.Output}\n>>>\n\nAnswer B:\n<<<\n{pair.Rejected.Output}\n>>>")), cancellationToken);
        return answer.Labels is { } labels && labels["both_answer_the_prompt"] == "yes" && labels["comparable_quality"] == "yes";
    }

    /// <summary>The pairs the judge accepts, in their order; a rejected pair is dropped, its answers are not paired again.</summary>
    public async Task<IReadOnlyList<PreferencePair>> FilterAsync(IReadOnlyList<PreferencePair> pairs, int concurrency, CancellationToken cancellationToken)
    {
        var accepted = new bool[pairs.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, pairs.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                try { accepted[i] = await AcceptsAsync(pairs[i], ct); }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    throw new FairscopeException($"{Name} failed on the pair for {pairs[i].PromptId} samples {pairs[i].Chosen.SampleIndex} and {pairs[i].Rejected.SampleIndex}: "
                        + $"{ErrorText.Describe(e)}; check --judge-base-url and --judge-model", e);
                }
            });
        return pairs.Where((_, i) => accepted[i]).ToList();
    }
}
