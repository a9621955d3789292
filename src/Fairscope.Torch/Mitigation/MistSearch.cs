using static TorchSharp.torch;

namespace Fairscope;

/// <summary>One round of the weight search: the class shares it measured per concept and their worst deviation from the target.</summary>
public sealed record MistRound(int Round, double[][] Shares, double MaxDeviation, double MeanDeviation);

/// <summary>What the weight search found: the class weights (concepts × classes) of the round whose images came closest to
/// the target on average, and every round.</summary>
public sealed record MistSearchResult(double[][] Weights, IReadOnlyList<MistRound> Rounds, bool Converged)
{
    /// <summary>The weights as the edit's concepts × classes matrix.</summary>
    public double[,] WeightMatrix()
    {
        var matrix = new double[Weights.Length, Weights[0].Length];
        for (int i = 0; i < Weights.Length; i++)
            for (int j = 0; j < Weights[i].Length; j++) matrix[i, j] = Weights[i][j];
        return matrix;
    }
}

/// <summary>
/// MIST's iterative search for the class weights of the closed-form edit (arXiv 2403.19738, §3), run in-process on a
/// <see cref="DiffusionModel"/>: edit every attn2.to_k/to_v from the model's current weights with the weights so far, draw
/// images of each concept, label each with a class (MIST: CLIP zero-shot argmax; here the caller's classifier), and move
/// each weight by <c>η (target_j − share_ij)</c>, accumulated over rounds, until every concept's shares are within the
/// tolerance of the target or the rounds run out. The model's weights are restored afterwards.
/// </summary>
public static class MistSearch
{
    /// <summary>Searches; <paramref name="classify"/> gives each image's class index (or −1 for none) in
    /// <paramref name="prompts"/>' class order; <paramref name="target"/> is the desired share of each class (uniform when null).
    /// Round r draws image i of concept c with seed <c>seed + 1,000,003·r + 1,009·c + i</c>.</summary>
    public static MistSearchResult Run(DiffusionModel model, EditPrompts prompts, Func<IReadOnlyList<RgbImage>, int[]> classify, MistOptions options, long seed,
        double[]? target = null, IProgress<MistRound>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        int n = prompts.Concepts.Count, k = prompts.Classes.Count;
        target ??= [.. Enumerable.Repeat(1.0 / k, k)];
        if (target.Length != k || Math.Abs(target.Sum() - 1) > 1e-9) throw new FairscopeException($"the target must give {k} shares that sum to 1");
        var weights = new double[n][];
        for (int i = 0; i < n; i++) weights[i] = new double[k];
        var best = (Weights: weights.Select(w => (double[])w.Clone()).ToArray(), Deviation: double.PositiveInfinity);
        var rounds = new List<MistRound>();
        using var editor = new InProcessEdit(model);
        for (int round = 0; round < options.Iterations; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            editor.Apply(prompts, ToMatrix(weights), options);
            var conceptPrompts = Enumerable.Range(0, n).SelectMany(c => Enumerable.Repeat(prompts.ConceptPrompts[c], options.ImagesPerConcept)).ToList();
            var seeds = Enumerable.Range(0, n).SelectMany(c => Enumerable.Range(0, options.ImagesPerConcept).Select(i => seed + 1_000_003L * round + 1_009L * c + i)).ToList();
            var classes = classify(model.Draw(conceptPrompts, seeds));
            var shares = Enumerable.Range(0, n).Select(c =>
            {
                var labelled = classes.Skip(c * options.ImagesPerConcept).Take(options.ImagesPerConcept).Where(x => x >= 0).ToList();
                return Enumerable.Range(0, k).Select(j => labelled.Count == 0 ? 0.0 : labelled.Count(x => x == j) / (double)labelled.Count).ToArray();
            }).ToArray();
            var deviations = shares.Select(s => s.Select((x, j) => Math.Abs(x - target[j])).Max()).ToArray();
            var result = new MistRound(round + 1, shares, deviations.Max(), deviations.Average());
            rounds.Add(result);
            progress?.Report(result);
            if (result.MeanDeviation < best.Deviation) best = (weights.Select(w => (double[])w.Clone()).ToArray(), result.MeanDeviation);
            if (result.MaxDeviation < options.Tolerance) return new MistSearchResult(weights, rounds, Converged: true);
            for (int c = 0; c < n; c++)
                for (int j = 0; j < k; j++) weights[c][j] += options.StepSize * (target[j] - shares[c][j]);
        }
        return new MistSearchResult(best.Weights, rounds, Converged: false);
    }

    /// <summary>Applies the edit of <paramref name="weights"/> (concepts × classes) to <paramref name="model"/>'s U-Net in
    /// place, from its current weights, as <c>fairscope edit</c> would on its checkpoint file.</summary>
    public static void Bake(DiffusionModel model, EditPrompts prompts, double[,] weights, MistOptions options)
    {
        var editor = new InProcessEdit(model);
        editor.Apply(prompts, weights, options);
        editor.Keep();
    }

    private static double[,] ToMatrix(double[][] rows) => new MistSearchResult(rows, [], false).WeightMatrix();

    // Edits the U-Net's attn2.to_k/to_v parameters in place from copies of their weights at construction; disposing
    // restores them unless Keep was called.
    private sealed class InProcessEdit : IDisposable
    {
        private readonly DiffusionModel _model;
        private readonly List<(Tensor Parameter, Tensor Original)> _projections;

        public InProcessEdit(DiffusionModel model)
        {
            _model = model;
            _projections = [.. model.UNet.named_parameters()
                .Where(p => CrossAttentionLayers.IsProjection(p.name))
                .Select(p => ((Tensor)p.parameter, p.parameter.detach().clone().DetachFromDisposeScope()))];
            if (_projections.Count == 0) throw new FairscopeException("the U-Net has no attn2.to_k/to_v projections to edit");
        }

        public void Apply(EditPrompts prompts, double[,] weights, MistOptions options)
        {
            using var scope = NewDisposeScope();
            using var edit = new ClosedFormEdit(prompts.Embed(_model.TextEncoder, _model.Tokenizer, weights, options.Lambda, options.PreserveScale));
            using var _ = no_grad();
            foreach (var (parameter, original) in _projections) parameter.copy_(edit.Edit(original));
        }

        public void Keep()
        {
            foreach (var (_, original) in _projections) original.Dispose();
            _projections.Clear();
        }

        public void Dispose()
        {
            using var _ = no_grad();
            foreach (var (parameter, original) in _projections)
            {
                parameter.copy_(original);
                original.Dispose();
            }
            _projections.Clear();
        }
    }
}
