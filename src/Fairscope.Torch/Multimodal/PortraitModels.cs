using static TorchSharp.torch;

namespace Fairscope;

/// <summary>
/// The portrait world's vision models that both image laboratories (the unified model's and the diffusion model's)
/// train and cache: the attribute classifier that annotates every generated image, and VQ autoencoders. Cache keys
/// include <see cref="FormatVersion"/> and the seed, so the two laboratories share one classifier.
/// </summary>
internal sealed class PortraitModels(ModelCache cache, int seed, LabProgress? progress)
{
    /// <summary>Part of every cache key: bumped when the world, the texts or the training recipes change.</summary>
    public const int FormatVersion = 1;

    /// <summary>The classifier's heads: the world's attributes and its occupation.</summary>
    public static readonly AttributeHead[] Heads =
    [
        .. PortraitWorld.Attributes.Select(a => new AttributeHead(a.Name, a.Categories)),
        new("occupation", [.. PortraitWorld.Occupations.Select(o => o.Name)]),
    ];

    /// <summary>A trained classifier, its cache key (its version in annotation labels) and its held-out accuracy per head.</summary>
    public sealed record TrainedClassifier(AttributeClassifier Model, string Key, IReadOnlyDictionary<string, Estimate> Accuracy) : IDisposable
    {
        public void Dispose() => Model.Dispose();
    }

    /// <summary>The cache key of whatever <paramref name="parts"/> describe, for this format and seed.</summary>
    public string Key(params object[] parts) => LabSettings.Key([.. parts, FormatVersion, seed]);

    /// <summary>A step reporter adding <paramref name="steps"/> to the training plan, or null when the entry is cached
    /// (so cached models add no work). One reporter serves the language and the vision trainers.</summary>
    public Progress? Steps(string key, string name, int steps)
    {
        if (progress is null || Directory.Exists(cache.ModelDirectory(key, name))) return null;
        progress.Plan(LabProgress.Train, steps);
        return new Progress(() => progress.Advance(LabProgress.Train));
    }

    /// <summary>Counts each reported training step as one step of <see cref="LabProgress.Train"/>.</summary>
    public sealed class Progress(Action step) : IProgress<TrainingProgress>, IProgress<VisionTrainingProgress>
    {
        public void Report(TrainingProgress value) => step();
        public void Report(VisionTrainingProgress value) => step();
    }

    private static int ClassifierRounds(int images) => Math.Max(1, images / PortraitWorld.Occupations.Count / 24);

    /// <summary>The cache key of the classifier trained on <paramref name="images"/> balanced portraits for <paramref name="steps"/> steps.</summary>
    public string ClassifierKey(int images, int steps) => Key("portrait-classifier", ClassifierRounds(images), steps);

    /// <summary>The attribute classifier trained on balanced portraits (cached), with its accuracy on a quarter as many held-out ones.</summary>
    public TrainedClassifier Classifier(int images, int steps, Bootstrap bootstrap, CancellationToken cancellationToken)
    {
        int rounds = ClassifierRounds(images);
        var key = ClassifierKey(images, steps);
        const string name = "portrait-classifier";
        var directory = cache.GetOrCreate(key, name, temporary =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var portraits = PortraitData.Balanced(new Random(seed + 1), rounds);
            using var model = new AttributeClassifier(new AttributeClassifierConfig(Heads), seed);
            using var scope = NewDisposeScope();
            model.Train(Pixels(portraits), Labels(portraits), new AttributeTrainingConfig(steps, Seed: seed), Steps(key, name, steps));
            model.Save(temporary);
        });
        var classifier = AttributeClassifier.Load(directory);
        var heldOut = PortraitData.Balanced(new Random(seed + 2), Math.Max(1, rounds / 4));
        using var evaluation = NewDisposeScope();
        var predicted = classifier.Predict(Pixels(heldOut));
        var accuracy = Heads.ToDictionary(h => h.Name, h =>
        {
            var argmax = predicted[h.Name].argmax(1).cpu().data<long>().ToArray();
            return bootstrap.Mean([.. heldOut.Select((p, i) => argmax[i] == Truth(p, h.Name) ? 1.0 : 0.0)]);
        });
        return new TrainedClassifier(classifier, key, accuracy);
    }

    /// <summary>A VQ autoencoder of shape <paramref name="config"/> trained for <paramref name="steps"/> steps on the
    /// portraits <paramref name="portraits"/> draws (only called when <paramref name="key"/> is not cached).</summary>
    public VqAutoencoder Autoencoder(string key, string name, Func<IReadOnlyList<Portrait>> portraits, VqConfig config, int steps, CancellationToken cancellationToken)
    {
        var directory = cache.GetOrCreate(key, name, temporary =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var model = new VqAutoencoder(config, seed);
            using var scope = NewDisposeScope();
            model.Train(Pixels(portraits()), new VqTrainingConfig(steps, Seed: seed), Steps(key, name, steps));
            model.Save(temporary);
        });
        return VqAutoencoder.Load(directory);
    }

    /// <summary>The portraits rendered as one (N, 3, H, W) tensor in [0, 1].</summary>
    public static Tensor Pixels(IReadOnlyList<Portrait> portraits) => ImageTensors.FromImages([.. portraits.Select(PortraitWorld.Render)]);

    private static Dictionary<string, Tensor> Labels(IReadOnlyList<Portrait> portraits) =>
        Heads.ToDictionary(h => h.Name, h => tensor(portraits.Select(p => (long)Truth(p, h.Name)).ToArray()));

    private static int Truth(Portrait p, string head) => head switch
    {
        "gender" => p.Gender, "race" => p.Race, "age" => p.Age, "occupation" => p.Occupation,
        _ => throw new ArgumentOutOfRangeException(nameof(head), head),
    };
}
