namespace Fairscope;

/// <summary>Reads an audited text run into <see cref="PreferencePrompt"/>s: each successful sample's output, its refusal
/// flag (<see cref="RefusalAnnotator"/>) and its perceived group per attribute, taken from the annotator the audit used for
/// that attribute (the first listed in results.json that labels it, as <see cref="AuditAnalyzer"/> does); an intersection
/// joins its components' labels and is unknown when any component is.</summary>
public static class PreferenceSource
{
    /// <summary>The prompts of <paramref name="suite"/> with their candidates, in suite order.</summary>
    public static async Task<IReadOnlyList<PreferencePrompt>> ReadAsync(Suite suite, RunInfo run, IReadOnlyList<SampleRecord> samples,
        IReadOnlyList<AnnotationRecord> annotations, IReadOnlyList<AnnotatorSummary> annotators, CancellationToken cancellationToken)
    {
        var plain = suite.Attributes.Where(a => !a.IsIntersection).ToList();
        var source = plain.ToDictionary(a => a.Name, a => annotators.FirstOrDefault(x => x.Attributes.Contains(a.Name)));
        var labels = annotations
            .Where(a => source.GetValueOrDefault(a.Attribute) is { } s && s.Name == a.Annotator && s.Version == a.AnnotatorVersion)
            .ToLookup(a => (a.PromptId, a.SampleIndex));
        var refusal = new RefusalAnnotator();
        var byPrompt = samples.Where(s => s.Ok && s.SampleIndex < run.Spec.SamplesPerPrompt).ToLookup(s => s.PromptId);
        var prompts = new List<PreferencePrompt>();
        foreach (var prompt in suite.Prompts)
        {
            var candidates = new List<PreferenceCandidate>();
            foreach (var sample in byPrompt[prompt.Id].OrderBy(s => s.SampleIndex))
            {
                var given = labels[(sample.PromptId, sample.SampleIndex)].ToDictionary(a => a.Attribute, a => a.Label);
                string Plain(DemographicAttribute a) => given.TryGetValue(a.Name, out var l) && a.Categories.Contains(l) ? l : DemographicAttribute.Unknown;
                var groups = plain.ToDictionary(a => a.Name, Plain);
                foreach (var joint in suite.Attributes.Where(a => a.IsIntersection))
                {
                    var parts = joint.Components.Select(c => groups[c]).ToList();
                    groups[joint.Name] = parts.Contains(DemographicAttribute.Unknown) ? DemographicAttribute.Unknown : string.Join(DemographicAttribute.JointSeparator, parts);
                }
                var verdict = await refusal.AnnotateAsync(new AnnotationInput(prompt, sample.Output!), cancellationToken);
                candidates.Add(new PreferenceCandidate(sample.SampleIndex, sample.Output!, verdict[0].Label == RefusalAnnotator.Refused, groups));
            }
            prompts.Add(new PreferencePrompt(prompt.Id, prompt.Text, candidates));
        }
        return prompts;
    }
}
