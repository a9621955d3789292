using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Fairscope;

/// <summary>
/// Trains a <see cref="Gpt"/> on <see cref="TrainingExample"/>s with next-token cross-entropy weighted per token
/// (<see cref="Gpt.Loss"/>), after nanoGPT's train.py: AdamW with decay on 2+-dimensional tensors only, linear warm-up
/// then cosine decay (<see cref="TrainerConfig.LearningRateAt"/>), global gradient-norm clipping, one dispose scope
/// per step. Every mitigation that changes the training data or the loss weights uses this one loop.
/// </summary>
/// <remarks>
/// <para><b>Windows.</b> A batch holds <see cref="TrainerConfig.BatchSize"/> windows of the model's context length T,
/// one example each. An example of L ≤ T + 1 tokens is one window from its start, padded: inputs
/// <c>tokens[0..L−1]</c> then token 0, targets <c>tokens[1..L]</c> then <see cref="Gpt.IgnoreIndex"/>. Padding comes
/// after the example, so causal attention never lets it touch a real position. A longer example gives a window at a
/// random start each time it is drawn. Examples are padded rather than packed end to end (nanoGPT's way) so that no
/// example attends to another: every example is learned from its own start, as probes such as "The nurse said that"
/// are scored, and a provenance marker at an example's start conditions only that example. The price is the compute
/// spent on padding, small when examples are near the context length.</para>
/// <para><b>Order.</b> Examples are drawn in epochs: a shuffled permutation, walked through, reshuffled when used up.
/// With an <see cref="IEpochResampler"/> an epoch is instead a shuffle of the indices it chooses (some dropped, some
/// repeated), as <see cref="AntiStereotypeDebiasing"/>'s resampling needs.</para>
/// <para><b>Determinism.</b> The sampler is a <see cref="Random"/> seeded with <see cref="TrainerConfig.Seed"/>, and
/// torch's global generator (used by dropout) is seeded with it too, so a model built with the same seed and trained
/// with the same config and examples ends with the same weights on the same machine and thread count. Dropout draws
/// from the process-wide generator: another thread drawing from it during training breaks this (with dropout 0 the
/// loop draws nothing from it).</para>
/// <para><b>Weights.</b> <see cref="Gpt.Loss"/> is <c>(1/N) Σ wᵢ·lossᵢ</c> over the N tokens of a batch whose weight
/// is above 0: weights are absolute, not self-normalised. So they set the size of a token's gradient, not only its
/// share of the batch: a batch of down-weighted examples moves the model less, and a weight of 0 leaves a token out
/// (of N too). AdamW divides by a running gradient scale, so a weight common to every token of every step changes
/// little; what counts is how weights differ between tokens and steps.</para>
/// <para><b>Auxiliary loss.</b> An <see cref="IAuxiliaryLoss"/> (such as <see cref="BalancedPreferenceLoss"/>) is
/// added to each step's loss before the backward pass. With one, the examples may be empty: the steps then train on
/// the auxiliary loss alone.</para>
/// </remarks>
public sealed class LanguageModelTrainer
{
    /// <summary>The input id put at padded positions (any valid id: their outputs are ignored, and they come last).</summary>
    public const long PaddingToken = 0;

    /// <summary>Creates a trainer with <paramref name="config"/> (validated).</summary>
    public LanguageModelTrainer(TrainerConfig config) => Config = config.Validate();

    /// <summary>The settings.</summary>
    public TrainerConfig Config { get; }

    /// <summary>
    /// Trains <paramref name="model"/> in place on <paramref name="examples"/> for <see cref="TrainerConfig.Steps"/>
    /// steps, on the device its parameters are on. With <paramref name="heldOut"/> examples it evaluates every
    /// <see cref="TrainerConfig.EvalEvery"/> steps and after the last. Reports each step to <paramref name="progress"/>.
    /// With a <paramref name="resampler"/> each epoch holds the examples it chooses; with an <paramref name="auxiliary"/>
    /// loss each step adds it (and <paramref name="examples"/> may be empty). The model is left in the mode (train or
    /// eval) it came in.
    /// </summary>
    public TrainingResult Train(Gpt model, IReadOnlyList<TrainingExample> examples, IReadOnlyList<TrainingExample>? heldOut = null,
        IProgress<TrainingProgress>? progress = null, IEpochResampler? resampler = null, IAuxiliaryLoss? auxiliary = null,
        CancellationToken cancellationToken = default)
    {
        Check(model, examples, "training", allowEmpty: auxiliary is not null);
        if (heldOut is not null) Check(model, heldOut, "held-out", allowEmpty: true);
        var device = DeviceOf(model);

        manual_seed(Config.Seed);
        var sampler = new EpochSampler(examples.Count, resampler, new Random(Config.Seed));
        using var optimizer = CreateOptimizer(model);
        var parameters = model.parameters().ToArray();
        bool wasTraining = model.training;
        var losses = new List<double>(Config.Steps);
        var auxiliaryLosses = new List<double>(auxiliary is null ? 0 : Config.Steps);
        var evaluations = new List<LanguageModelEvaluation>();
        long tokens = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            for (int step = 0; step < Config.Steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                double lr = Config.LearningRateAt(step);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
                model.train();

                using (var scope = NewDisposeScope())
                {
                    optimizer.zero_grad();
                    var loss = examples.Count > 0 ? BatchLoss(model, examples, sampler, device, ref tokens) : tensor(0f, device: device);
                    losses.Add(loss.item<float>());
                    if (auxiliary is not null)
                    {
                        var term = auxiliary.Compute(model, sampler.Random);
                        if (term.dim() != 0)
                            throw new FairscopeException($"auxiliary loss {auxiliary.Name} must be a scalar (0-dimensional tensor), got shape [{string.Join(", ", term.shape)}]");
                        auxiliaryLosses.Add(term.to(ScalarType.Float64).item<double>());
                        loss = loss + term;
                    }
                    loss.backward();
                    if (Config.GradientClip > 0) nn.utils.clip_grad_norm_(parameters, Config.GradientClip);
                    optimizer.step();
                }

                LanguageModelEvaluation? evaluation = null;
                bool last = step == Config.Steps - 1;
                if (heldOut is { Count: > 0 } && (last || (Config.EvalEvery > 0 && (step + 1) % Config.EvalEvery == 0)))
                {
                    evaluation = Evaluate(model, heldOut) with { Step = step + 1 };
                    evaluations.Add(evaluation);
                }
                progress?.Report(new TrainingProgress(step + 1, losses[^1], lr, tokens / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), evaluation,
                    auxiliary is null ? null : auxiliaryLosses[^1]));
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return new TrainingResult(losses, auxiliaryLosses, evaluations, clock.Elapsed, tokens);
    }

    // The weighted autoregressive loss of one batch of windows drawn by the sampler; adds its target tokens to tokens.
    private Tensor BatchLoss(Gpt model, IReadOnlyList<TrainingExample> examples, EpochSampler sampler, Device device, ref long tokens)
    {
        int T = model.Config.ContextLength;
        var batch = new Batch(Config.BatchSize, T);
        for (int row = 0; row < Config.BatchSize; row++)
        {
            var example = examples[sampler.Next()];
            int start = example.Tokens.Count > T + 1 ? sampler.Random.Next(example.Tokens.Count - T) : 0;
            batch.Fill(row, example, start);
        }
        var (input, targets, weights) = batch.ToTensors(device);
        tokens += batch.TargetTokens;
        return Gpt.Loss(model.forward(input), targets, weights);
    }

    /// <summary>
    /// The mean per-token loss (and perplexity) of <paramref name="model"/> on <paramref name="examples"/>, weighted by
    /// their token weights, without gradients and in evaluation mode. Each example is scored from its start; one
    /// longer than the context is cut into consecutive windows so that every token after the first is predicted once
    /// (a later window does not see the tokens before it).
    /// </summary>
    public LanguageModelEvaluation Evaluate(Gpt model, IReadOnlyList<TrainingExample> examples)
    {
        Check(model, examples, "evaluation", allowEmpty: true);
        var device = DeviceOf(model);
        int T = model.Config.ContextLength, B = Config.BatchSize;
        var windows = new List<(TrainingExample Example, int Start)>();
        foreach (var example in examples)
            for (int start = 0; start < example.Tokens.Count - 1; start += T) windows.Add((example, start));

        bool wasTraining = model.training;
        model.eval();
        double weightedLoss = 0, totalWeight = 0;
        long tokens = 0;
        try
        {
            using var _ = no_grad();
            for (int first = 0; first < windows.Count; first += B)
            {
                using var scope = NewDisposeScope();
                int rows = Math.Min(B, windows.Count - first);
                var batch = new Batch(rows, T);
                for (int row = 0; row < rows; row++) batch.Fill(row, windows[first + row].Example, windows[first + row].Start);
                var (input, targets, weights) = batch.ToTensors(device);
                weights ??= ones(targets.shape, ScalarType.Float32, device);
                var w = weights * targets.ne(Gpt.IgnoreIndex).to(ScalarType.Float32); // (B, T)
                double batchWeight = w.sum().item<float>();
                long batchTokens = w.gt(0).sum().item<long>();
                if (batchWeight > 0)
                {
                    // Gpt.Loss is Σ w·loss / (tokens with weight): undo that division, then report the weighted mean.
                    weightedLoss += Gpt.Loss(model.forward(input), targets, weights).item<float>() * batchTokens;
                    totalWeight += batchWeight;
                }
                tokens += batchTokens;
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return new LanguageModelEvaluation(0, totalWeight > 0 ? weightedLoss / totalWeight : double.NaN, tokens);
    }

    // nanoGPT's configure_optimizers: weight decay on every tensor of 2+ dimensions (matrices, embeddings), none on
    // biases and layer-norm gains. The tied output head is wte itself, so it is one decayed tensor.
    private AdamW CreateOptimizer(Gpt model)
    {
        var all = model.parameters().Where(p => p.requires_grad).ToList();
        var groups = new[]
        {
            new AdamW.ParamGroup(all.Where(p => p.dim() >= 2).ToList(), Config.LearningRate, Config.Beta1, Config.Beta2, weight_decay: Config.WeightDecay),
            new AdamW.ParamGroup(all.Where(p => p.dim() < 2).ToList(), Config.LearningRate, Config.Beta1, Config.Beta2, weight_decay: 0),
        };
        return optim.AdamW(groups, Config.LearningRate, Config.Beta1, Config.Beta2);
    }

    private static Device DeviceOf(Gpt model) => model.parameters().First().device;

    private static void Check(Gpt model, IReadOnlyList<TrainingExample> examples, string what, bool allowEmpty = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0 && !allowEmpty) throw new FairscopeException($"no {what} examples");
        for (int i = 0; i < examples.Count; i++)
        {
            if (examples[i] is null) throw new FairscopeException($"{what} example {i} is null");
            examples[i].Validate(i, model.Config.VocabSize);
        }
    }

    /// <summary>Hands out example indices epoch by epoch, each epoch a fresh shuffle of all examples or, with a
    /// resampler, of the indices it chooses for that epoch (checked: at least one, each in range).</summary>
    private sealed class EpochSampler(int count, IEpochResampler? resampler, Random random)
    {
        private readonly int _count = count;
        private int[] _order = Enumerable.Range(0, count).ToArray();
        private int _next = count;
        private int _epoch;

        public Random Random { get; } = random;

        public int Next()
        {
            if (_next == _order.Length)
            {
                _epoch++;
                if (resampler is not null) _order = Resample(resampler);
                Random.Shuffle(_order);
                _next = 0;
            }
            return _order[_next++];
        }

        private int[] Resample(IEpochResampler resampler)
        {
            var order = resampler.NextEpoch(Random).ToArray();
            if (order.Length == 0)
                throw new FairscopeException($"the epoch resampler chose no examples for epoch {_epoch}; an epoch needs at least one");
            foreach (int index in order)
            {
                if ((uint)index >= (uint)_count)
                    throw new FairscopeException($"the epoch resampler chose example {index} for epoch {_epoch}, outside the {_count} training examples");
            }
            return order;
        }
    }

    /// <summary>Input ids, targets and weights of a batch of windows (B, T), filled row by row on the CPU.</summary>
    private sealed class Batch(int rows, int contextLength)
    {
        private readonly long[] _input = new long[rows * contextLength];
        private readonly long[] _targets = new long[rows * contextLength];
        private readonly float[] _weights = new float[rows * contextLength];
        private bool _weighted;

        /// <summary>Targets that count (not padding).</summary>
        public long TargetTokens { get; private set; }

        // Row = example tokens [start, start + n) as inputs and [start + 1, start + n] as targets, n ≤ T, then padding.
        public void Fill(int row, TrainingExample example, int start)
        {
            int n = Math.Min(contextLength, example.Tokens.Count - 1 - start);
            int offset = row * contextLength;
            for (int t = 0; t < contextLength; t++)
            {
                bool real = t < n;
                _input[offset + t] = real ? example.Tokens[start + t] : PaddingToken;
                _targets[offset + t] = real ? example.Tokens[start + t + 1] : Gpt.IgnoreIndex;
                _weights[offset + t] = real ? example.WeightAt(start + t + 1) : 0;
            }
            _weighted |= example.Weights is not null;
            TargetTokens += n;
        }

        // Weights are null when no example carries any (Gpt.Loss then weighs every real target 1).
        public (Tensor Input, Tensor Targets, Tensor? Weights) ToTensors(Device device)
        {
            var shape = new long[] { rows, contextLength };
            var input = tensor(_input, shape, ScalarType.Int64).to(device);
            var targets = tensor(_targets, shape, ScalarType.Int64).to(device);
            var weights = _weighted ? tensor(_weights, shape, ScalarType.Float32).to(device) : null;
            return (input, targets, weights);
        }
    }
}
