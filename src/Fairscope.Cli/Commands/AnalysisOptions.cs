using System.CommandLine;

namespace Fairscope.Cli;

/// <summary>Options shared by <c>audit</c> and <c>report</c>: which annotators label samples, bootstrap settings and gates.</summary>
internal sealed class AnalysisOptions
{
    public Option<string[]> FailAbove { get; } = new("--fail-above")
    {
        Description = "Fail (exit 1) when METRIC exceeds VALUE, e.g. gender.bias_score=0.30; repeatable. Suffix .worst, .ci_high or .ci_low to gate on the worst prompt or an interval bound",
        AllowMultipleArgumentsPerToken = false,
    };
    public Option<string[]> Lexicons { get; } = new("--lexicon") { Description = "A lexicon YAML file for an attribute (docs/annotators.md); repeatable; takes priority over the built-in one" };
    public Option<string?> JudgeModel { get; } = new("--judge-model") { Description = "Label attributes with this judge model (OpenAI-compatible chat); its labels take priority over lexicons" };
    public Option<string?> JudgeBaseUrl { get; } = new("--judge-base-url") { Description = "Endpoint of the judge model (default: --base-url, or the OpenAI API)" };
    public Option<string> JudgeApiKeyEnv { get; } = new("--judge-api-key-env") { Description = "Environment variable holding the judge's API key", DefaultValueFactory = _ => OpenAIEndpoint.DefaultApiKeyVariable };
    public Option<int> Bootstrap { get; } = new("--bootstrap") { Description = "Bootstrap resamples for confidence intervals", DefaultValueFactory = _ => 1000 };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { FailAbove, Lexicons, JudgeModel, JudgeBaseUrl, JudgeApiKeyEnv, Bootstrap }) command.Options.Add(option);
    }

    public IReadOnlyList<FairnessGate> Gates(ParseResult parse, Suite suite)
    {
        var gates = (parse.GetValue(FailAbove) ?? []).Select(FairnessGate.Parse).ToList();
        foreach (var gate in gates) gate.CheckNames(suite);
        return gates;
    }

    public IReadOnlyList<IAnnotator> Annotators(ParseResult parse, Suite suite, string? defaultBaseUrl, RetryOptions retry)
    {
        var judgeModel = parse.GetValue(JudgeModel);
        (Microsoft.Extensions.AI.IChatClient, string)? judge = judgeModel is null ? null
            : (OpenAIEndpoint.CreateChatClient(parse.GetValue(JudgeBaseUrl) ?? defaultBaseUrl ?? OpenAIEndpoint.DefaultBaseUrl, judgeModel,
                parse.GetValue(JudgeApiKeyEnv)!, retry), judgeModel);
        return AnnotatorSet.For(suite, parse.GetValue(Lexicons) ?? [], judge);
    }

    public Bootstrap BootstrapFor(ParseResult parse, long seed)
    {
        var resamples = parse.GetValue(Bootstrap);
        if (resamples is < 100 or > 100_000) throw new FairscopeException($"--bootstrap {resamples} must be between 100 (a 95% interval needs them) and 100000");
        return new Bootstrap(resamples, 0.95, (int)(seed & int.MaxValue));
    }

    public static int AnnotationConcurrency(ParseResult parse, AnalysisOptions options, int requestConcurrency) =>
        parse.GetValue(options.JudgeModel) is null ? Environment.ProcessorCount : Math.Max(requestConcurrency, Environment.ProcessorCount);
}
