using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Fairscope.Cli;

/// <summary>
/// <c>fairscope audit --intervention balanced|ethical|self-debias [--baseline RUN_FOLDER]</c>: sample through
/// <see cref="FairPromptingChatClient"/> or <see cref="FairPromptingImageGenerator"/>, and compare the run with a baseline
/// run of the same suite and seed (docs/interventions.md); <c>fairscope report --baseline</c> re-renders that comparison.
/// </summary>
internal sealed class InterventionOptions
{
    public Option<string?> Intervention { get; } = new("--intervention") { Description = "Inference-time intervention while sampling: balanced (each sample's prompt names a demographic spec, balanced to the suite's targets), ethical (a fairness instruction), self-debias (chat: the model revises its draft for stereotypes; two requests per sample); part of the run's identity" };
    public Option<string?> Baseline { get; } = new("--baseline") { Description = "A run folder of the same suite and seed (e.g. the audit without intervention): the reports show its bias beside this run's, with the difference, and fidelity proxies" };

    public void AddTo(Command command)
    {
        command.Options.Add(Intervention);
        command.Options.Add(Baseline);
    }

    /// <summary>The intervention asked for, checked against the provider before anything is generated; null without one.</summary>
    public FairPromptingOptions? Check(ParseResult parse, Suite suite, string provider, ImageProviderOptions images)
    {
        var name = parse.GetValue(Intervention);
        if (name is null) return null;
        var intervention = Enum.GetValues<Intervention>().Where(i => FairPromptingOptions.NameOf(i) == name).Cast<Intervention?>().FirstOrDefault()
            ?? throw new FairscopeException($"--intervention '{name}' must be balanced, ethical or self-debias");
        if (provider is not ("openai" or ImageProviderOptions.OpenAIImages or ImageProviderOptions.A1111))
            throw new FairscopeException($"--intervention works through a chat or image endpoint (--provider openai, openai-images or a1111), not {provider}");
        var image = ImageProviderOptions.IsImageProvider(provider);
        if (intervention == Fairscope.Intervention.SelfDebias && image)
            throw new FairscopeException("--intervention self-debias revises a text draft; use balanced or ethical for images");
        if (intervention == Fairscope.Intervention.Balanced && image && parse.GetValue(images.ImagesPerRequest) > 1)
            throw new FairscopeException("--intervention balanced gives each image its own prompt: use --images-per-request 1");
        if (intervention == Fairscope.Intervention.Balanced && suite.CounterfactualSlot is { } slot)
            throw new FairscopeException($"--intervention balanced would contradict the groups that suite '{suite.Name}' names in its prompts (slot '{slot}'); use ethical or self-debias");
        if (intervention == Fairscope.Intervention.Balanced && !suite.Attributes.Any(a => !a.IsIntersection))
            throw new FairscopeException($"--intervention balanced needs demographic attributes; suite '{suite.Name}' declares none");
        return new FairPromptingOptions(intervention, suite.Attributes);
    }

    /// <summary><paramref name="client"/> behind the intervention's layer, outermost so each of its requests is retried on its own.</summary>
    public static IChatClient Wrap(IChatClient client, FairPromptingOptions? options) => client.AsBuilder().UseFairPrompting(options).Build();

    /// <summary>The run's parameters with the intervention added under <c>intervention</c>, so resuming with another is refused.</summary>
    public static string WithIdentity(string parameters, FairPromptingOptions? options)
    {
        if (options is null) return parameters;
        var json = JsonNode.Parse(parameters)!.AsObject();
        json["intervention"] = JsonNode.Parse(options.ToJson());
        return json.ToJsonString();
    }

    /// <summary>The baseline run's analysis from its results.json, checked to be of the same suite and seed; null without --baseline.</summary>
    public AuditResult? LoadBaseline(ParseResult parse, Suite suite, long seed)
    {
        if (parse.GetValue(Baseline) is not { } folder) return null;
        AuditResult baseline;
        try { baseline = JsonReportWriter.Read(folder); }
        catch (FairscopeException e) { throw new FairscopeException($"--baseline: {e.Message}", e); }
        var run = baseline.Run;
        if (run.Suite != suite.Name) throw new FairscopeException($"--baseline run '{run.Name}' audited suite '{run.Suite}', not '{suite.Name}'");
        if (run.Seed != seed) throw new FairscopeException($"--baseline run '{run.Name}' has seed {run.Seed}, not {seed}: compare runs with the same prompts and seeds");
        return baseline;
    }
}
