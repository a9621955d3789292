using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Fairscope;

/// <summary>
/// A small CNN that reads perceived attributes off an image, one softmax head per attribute: <see cref="AttributeClassifierConfig.Blocks"/>
/// blocks of 3×3 conv, ReLU and 2×2 max-pool (widths 16, 32, 64 by default), global average pooling, then a linear
/// head per attribute (the multi-task layout of Ranjan et al. 2017, "HyperFace", and of FairFace's attribute
/// classifiers, Kärkkäinen and Joo 2021, at toy scale). <see cref="Module{T, TResult}.forward"/> maps images
/// (N, C, H, W) in [0, 1] to each head's logits (N, classes), in config order. Shapes: N/B images, W features.
/// </summary>
public sealed class AttributeClassifier : Module<Tensor, Tensor[]>
{
    /// <summary>A label equal to this marks a row the head has no label for; training and accuracy skip it.</summary>
    public const long Unlabelled = -1;

    private const int InferenceBatch = 256;

    private readonly Sequential features;
    private readonly ModuleList<Linear> heads;

    /// <summary>Creates a model with PyTorch's default initialisation drawn from <paramref name="seed"/>.</summary>
    public AttributeClassifier(AttributeClassifierConfig config, long seed = 0) : base(nameof(AttributeClassifier))
    {
        Config = config.Validate();
        var blocks = new List<(string, Module<Tensor, Tensor>)>();
        for (int b = 0; b < config.Blocks; b++) // each halves H and W and doubles the width
        {
            blocks.Add(($"conv{b}", Conv2d(b == 0 ? config.Channels : config.Width << (b - 1), config.Width << b, 3, padding: 1)));
            blocks.Add(($"relu{b}", ReLU()));
            blocks.Add(($"pool{b}", MaxPool2d(2)));
        }
        features = Sequential(blocks);
        heads = ModuleList(config.Heads.Select(h => Linear(config.FeatureWidth, h.Classes.Count)).ToArray());
        RegisterComponents();
        VisionModules.Reset(this, seed);
    }

    /// <summary>The model's shape and the heads' class names.</summary>
    public AttributeClassifierConfig Config { get; }

    /// <summary>Each head's logits (N, classes) for <paramref name="images"/> (N, C, H, W), in config order.</summary>
    public override Tensor[] forward(Tensor images)
    {
        var pooled = features.forward(images).mean([2, 3]); // (N, W, h, w) -> (N, W)
        return heads.Select(head => head.forward(pooled)).ToArray();
    }

    /// <summary>The pooled features (N, feature width) the heads read: a feature space for distances between images.</summary>
    public Tensor Features(Tensor images)
    {
        CheckImages(images);
        return VisionModules.Infer(this, images, InferenceBatch, x => features.forward(x).mean([2, 3]));
    }

    /// <summary>Each head's class probabilities (N, classes), keyed by head name. The caller owns the tensors.</summary>
    public Dictionary<string, Tensor> Predict(Tensor images)
    {
        CheckImages(images);
        using var scope = NewDisposeScope();
        // One pass over all heads, concatenated, then split: chunked inference needs a single tensor per chunk.
        var all = VisionModules.Infer(this, images, InferenceBatch, x => cat(forward(x).Select(l => l.softmax(1)).ToArray(), 1));
        var sizes = Config.Heads.Select(h => (long)h.Classes.Count).ToArray();
        var parts = all.split(sizes, 1);
        return Config.Heads.Select((h, i) => (h.Name, Tensor: parts[i].contiguous().MoveToOuterDisposeScope()))
            .ToDictionary(p => p.Name, p => p.Tensor, StringComparer.Ordinal);
    }

    /// <summary>Each head's accuracy (argmax against the label) over the rows it has a label for; NaN for a head
    /// with none. Heads missing from <paramref name="labels"/> are left out.</summary>
    public Dictionary<string, double> Accuracy(Tensor images, IReadOnlyDictionary<string, Tensor> labels)
    {
        var indices = CheckLabels(images, labels);
        var probabilities = Predict(images);
        try
        {
            var accuracy = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (name, head) in indices)
            {
                using var scope = NewDisposeScope();
                var y = labels[name].to(ScalarType.Int64).cpu();
                var labelled = y.ne(Unlabelled);
                long count = labelled.sum().item<long>();
                var correct = probabilities[name].cpu().argmax(1).eq(y).logical_and(labelled).sum().item<long>();
                accuracy[name] = count == 0 ? double.NaN : (double)correct / count;
            }
            return accuracy;
        }
        finally
        {
            foreach (var p in probabilities.Values) p.Dispose();
        }
    }

    /// <summary>
    /// Trains the model in place on <paramref name="images"/> (N, C, H, W) in [0, 1] and per-head labels (N) int64,
    /// keyed by head name (a head missing from <paramref name="labels"/> learns nothing; <see cref="Unlabelled"/>
    /// rows are skipped per head), on the device the model is on. Each step's loss is the sum over heads of the mean
    /// cross-entropy on that head's labelled rows of the batch. Equal seeds, data and configs give equal weights on
    /// the same machine and thread count. The model is left in the mode it came in.
    /// </summary>
    public AttributeTrainingResult Train(Tensor images, IReadOnlyDictionary<string, Tensor> labels, AttributeTrainingConfig config,
        IProgress<VisionTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        config.Validate();
        var indices = CheckLabels(images, labels);
        if (images.shape[0] == 0) throw new FairscopeException("attribute classifier: training needs at least one image");
        var clock = Stopwatch.StartNew();
        var device = parameters().First().device;
        var batches = new VisionBatches((int)images.shape[0], config.Seed);
        using var optimizer = optim.Adam(parameters(), config.LearningRate);
        var losses = new List<double>(config.Steps);
        bool wasTraining = training;
        train();
        try
        {
            for (int step = 0; step < config.Steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var rows = tensor(batches.Next(config.BatchSize));
                var x = Shift(images.index_select(0, rows.to(images.device)).to(device), config.MaxShift, batches.Random); // (B, C, H, W)
                optimizer.zero_grad();
                var logits = forward(x);
                var loss = zeros(1, device: device).sum();
                foreach (var (name, head) in indices)
                {
                    var y = labels[name].index_select(0, rows.to(labels[name].device)).to(ScalarType.Int64).to(device); // (B)
                    var perRow = F.cross_entropy(logits[head], y, ignore_index: Unlabelled, reduction: Reduction.None); // (B), 0 where unlabelled
                    loss = loss + perRow.sum() / y.ne(Unlabelled).sum().clamp_min(1);
                }
                loss.backward();
                optimizer.step();
                losses.Add(loss.item<float>());
                progress?.Report(new VisionTrainingProgress(step + 1, losses[^1]));
            }
        }
        finally
        {
            train(wasTraining);
        }
        return new AttributeTrainingResult(losses, clock.Elapsed);
    }

    /// <summary>Writes <c>config.json</c> (heads and class names included) and <c>model.safetensors</c> to <paramref name="directory"/>.</summary>
    public void Save(string directory) => VisionCheckpoint.Save(this, Config, directory);

    /// <summary>Loads the model saved in <paramref name="directory"/> (on the CPU, or moved to <paramref name="device"/>),
    /// in evaluation mode. Throws <see cref="FairscopeException"/> when the files are missing or do not match the config.</summary>
    public static AttributeClassifier Load(string directory, Device? device = null)
        => VisionCheckpoint.Load<AttributeClassifier, AttributeClassifierConfig>(directory, "attribute classifier", config => new AttributeClassifier(config), device);

    // Moves each image by its own random (dy, dx) in [−s, s]²: crops of the edge-replicated padding.
    private static Tensor Shift(Tensor x, int s, Random random)
    {
        if (s == 0) return x;
        long H = x.shape[2], W = x.shape[3];
        var padded = F.pad(x, [s, s, s, s], PaddingModes.Replicate); // (B, C, H + 2s, W + 2s)
        var shifted = new Tensor[x.shape[0]];
        for (int i = 0; i < shifted.Length; i++)
        {
            int dy = random.Next(2 * s + 1), dx = random.Next(2 * s + 1);
            shifted[i] = padded[i, TensorIndex.Colon, TensorIndex.Slice(dy, dy + H), TensorIndex.Slice(dx, dx + W)];
        }
        return stack(shifted);
    }

    // Checks images and labels; returns each labelled head's name and its index in the config.
    private List<(string Name, int Head)> CheckLabels(Tensor images, IReadOnlyDictionary<string, Tensor> labels)
    {
        CheckImages(images);
        var heads = new List<(string, int)>();
        foreach (var (name, y) in labels)
        {
            int head = Config.Heads.ToList().FindIndex(h => h.Name == name);
            if (head < 0) throw new FairscopeException($"attribute classifier: no head named '{name}' (heads: {string.Join(", ", Config.Heads.Select(h => h.Name))})");
            if (y.dim() != 1 || y.shape[0] != images.shape[0] || y.is_floating_point())
                throw new FairscopeException($"attribute classifier: labels of '{name}' must be integers shaped ({images.shape[0]}); got {y.dtype} [{string.Join(", ", y.shape)}]");
            int classes = Config.Heads[head].Classes.Count;
            using var y64 = y.to(ScalarType.Int64);
            if (y.numel() > 0 && (y64.min().item<long>() < Unlabelled || y64.max().item<long>() >= classes))
                throw new FairscopeException($"attribute classifier: labels of '{name}' must lie in [0, {classes}) or be {Unlabelled} (unlabelled)");
            heads.Add((name, head));
        }
        return heads;
    }

    private void CheckImages(Tensor images)
    {
        if (images.dim() != 4 || images.shape[1] != Config.Channels || images.shape[2] != Config.ImageSize || images.shape[3] != Config.ImageSize || !images.is_floating_point())
            throw new FairscopeException($"attribute classifier: images must be floating-point (N, {Config.Channels}, {Config.ImageSize}, {Config.ImageSize}); got {images.dtype} [{string.Join(", ", images.shape)}]");
    }
}
