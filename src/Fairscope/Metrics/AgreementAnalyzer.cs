namespace Fairscope;

/// <summary>
/// Cohen's kappa (<see cref="Agreement"/>) for every pair of annotators that label the same attribute, over the
/// run's successful samples that both labelled (their current versions), with intervals that resample samples within
/// each prompt. A suite attribute's labels outside its declared categories count as unknown, as in the metrics;
/// other attributes (e.g. <see cref="FaceLabels.Attribute"/>) are compared label for label.
/// </summary>
internal sealed class AgreementAnalyzer(Bootstrap bootstrap)
{
    public IReadOnlyList<AnnotatorAgreement> Analyze(IReadOnlyList<SampleRecord> ok, IReadOnlyList<AnnotationRecord> annotations,
        IReadOnlyList<IAnnotator> annotators, IReadOnlyList<DemographicAttribute> plain)
    {
        var shared = annotators.SelectMany(a => a.Attributes).Distinct()
            .Where(attribute => annotators.Count(a => a.Attributes.Contains(attribute)) > 1).ToList();
        if (shared.Count == 0) return [];
        var inRun = ok.Select(s => (s.PromptId, s.SampleIndex)).ToHashSet();
        // (annotator, version, attribute) → sample → label.
        var labels = new Dictionary<(string Annotator, string Version, string Attribute), Dictionary<(string PromptId, int SampleIndex), string>>();
        foreach (var a in annotators)
            foreach (var attribute in a.Attributes.Intersect(shared))
                labels[(a.Name, a.Version, attribute)] = [];
        foreach (var r in annotations)
            if (labels.TryGetValue((r.Annotator, r.AnnotatorVersion, r.Attribute), out var bySample) && inRun.Contains((r.PromptId, r.SampleIndex)))
                bySample[(r.PromptId, r.SampleIndex)] = Declared(plain.FirstOrDefault(p => p.Name == r.Attribute), r.Label);

        return shared.SelectMany(attribute =>
        {
            var labelling = annotators.Where(a => a.Attributes.Contains(attribute)).ToList();
            return labelling.SelectMany((first, i) => labelling.Skip(i + 1).Select(second =>
            {
                var (a, b) = (labels[(first.Name, first.Version, attribute)], labels[(second.Name, second.Version, attribute)]);
                var both = a.Keys.Where(b.ContainsKey).OrderBy(s => s.PromptId, StringComparer.Ordinal).ThenBy(s => s.SampleIndex).ToList();
                var kappa = Agreement.Kappa(both.Select(s => a[s]).ToList(), both.Select(s => b[s]).ToList(), bootstrap, both.Select(s => s.PromptId).ToList());
                return new AnnotatorAgreement(attribute, first.Name, second.Name, kappa.Samples, kappa.ObservedAgreement, kappa.Kappa);
            }));
        }).ToList();
    }

    private static string Declared(DemographicAttribute? attribute, string label) =>
        attribute is null || label == DemographicAttribute.Unknown || attribute.Categories.Contains(label) ? label : DemographicAttribute.Unknown;
}
