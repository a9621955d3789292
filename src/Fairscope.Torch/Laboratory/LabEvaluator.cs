namespace Fairscope;

/// <summary>
/// Measures one model the way the laboratory compares them: exact pronoun probes, an audit of sampled continuations
/// through the normal audit path (run store, lexicon annotators), occupation classification of held-out biographies
/// by exact label likelihoods, and held-out perplexity.
/// </summary>
internal sealed class LabEvaluator(LabData data, IRunStore store, LabProgress? progress)
{
    /// <summary>The suite every model is audited with.</summary>
    public Suite Suite { get; } = LabFormat.ProbeSuite;

    /// <summary>Lexicon annotators for gender, race and age, and the refusal detector.</summary>
    public IReadOnlyList<IAnnotator> Annotators { get; } = AnnotatorSet.For(LabFormat.ProbeSuite, [], null);

    /// <summary>Samples of an audit, for <see cref="LabProgress"/>'s plan.</summary>
    public int SamplesPerAudit => Suite.Prompts.Count * data.Settings.SamplesPerPrompt;

    /// <summary>Measures <paramref name="model"/>; its audit is stored as run <paramref name="runName"/> (resumed when it exists).</summary>
    public async Task<ModelMeasurement> MeasureAsync(LanguageModel model, string runName, string modelKey, int seed, CancellationToken cancellationToken)
    {
        var settings = data.Settings;
        var probes = WorldOccupations.All.ToDictionary(o => o.Id, o =>
            (She: model.LogProbability(LabFormat.PronounProbe(o), " she"), He: model.LogProbability(LabFormat.PronounProbe(o), " he")));

        var generation = new GenerationOptions(Temperature: 1, MaxOutputTokens: settings.MaxNewTokens);
        var spec = new RunSpec(runName, Suite.Name, Suite.SourceText, "builtin", $"{runName} ({modelKey})", null, settings.SamplesPerPrompt, seed,
            generation.ToJson());
        var run = await store.OpenRunAsync(spec, cancellationToken);
        using (var generator = new BuiltinSampleGenerator(model, generation, ownsModel: false))
            await new RunEngine(store, generator, concurrency: 1, progress?.Sampling(), Annotators).GenerateAsync(run, Suite, cancellationToken);
        await store.SetStatusAsync(run.Id, RunInfo.Completed, cancellationToken);
        var annotated = await new AnnotationStage(store, Annotators, concurrency: 2).AnnotateAsync(run, Suite, cancellationToken);

        var predictions = data.TestBiographies.Select(t => Classify(model, t.Biography)).ToList();
        var perplexity = LabTraining.Trainer(1, seed).Evaluate(model.Model, data.HeldOut.Select(d => LabTraining.Example(model.Tokenizer, d.Text)).ToList()).Perplexity;
        return new ModelMeasurement(runName, seed, probes, annotated.Samples, annotated.Annotations, predictions, perplexity);
    }

    /// <summary>The occupation under whose heading the biography is most likely (exact log-likelihoods, one batched pass;
    /// see <see cref="LabFormat"/>). A biography too long for the context keeps its start.</summary>
    private static string Classify(LanguageModel model, string biography)
    {
        var text = model.Tokenizer.Encode(" " + biography.Trim());
        var rows = WorldOccupations.All.Select(o =>
        {
            var heading = model.Tokenizer.Encode(LabFormat.BiographyHeading(o));
            return ((IReadOnlyList<int>)heading, (IReadOnlyList<int>)text[..Math.Min(text.Length, model.Model.Config.ContextLength + 1 - heading.Length)]);
        }).ToList();
        var scores = model.Model.ScoreContinuations(rows);
        return WorldOccupations.All[Array.IndexOf(scores, scores.Max())].Id;
    }
}

/// <summary>What <see cref="LabEvaluator"/> measured on one model.</summary>
/// <param name="Probes">Per occupation id, ln P(" she") and ln P(" he") after its pronoun probe.</param>
/// <param name="Predictions">Predicted occupation id of each test biography, in <see cref="LabData.TestBiographies"/> order.</param>
internal sealed record ModelMeasurement(string Run, int Seed, IReadOnlyDictionary<string, (double She, double He)> Probes,
    IReadOnlyList<SampleRecord> Samples, IReadOnlyList<AnnotationRecord> Annotations, IReadOnlyList<string> Predictions, double Perplexity);
