using static TorchSharp.torch;

namespace Fairscope.Tests;

/// <summary><see cref="AttributeClassifier"/>: it learns colour and position heads to held-out accuracy, skips
/// unlabelled rows, is seeded, round-trips through save and load, and rejects bad configs and labels clearly.</summary>
public sealed class VisionAttributeClassifierTests : IDisposable
{
    private static readonly AttributeClassifierConfig Config = new(
        [new AttributeHead("colour", ["red", "green", "blue", "yellow"]), new AttributeHead("quadrant", ["top left", "top right", "bottom left", "bottom right"])],
        ImageSize: 16, Width: 8);

    private static readonly AttributeTrainingConfig Training = new(Steps: 250, BatchSize: 32, Seed: 4);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static Dictionary<string, Tensor> Labels(long[] colour, long[] quadrant) =>
        new() { ["colour"] = tensor(colour), ["quadrant"] = tensor(quadrant) };

    [Fact]
    public void Learns_colour_and_position_to_held_out_accuracy_and_round_trips_through_save_and_load()
    {
        using var scope = NewDisposeScope();
        var (images, colour, quadrant) = VisionShapes.Make(400, 16, seed: 1);
        var (testImages, testColour, testQuadrant) = VisionShapes.Make(200, 16, seed: 2);
        using var model = new AttributeClassifier(Config, seed: 1);

        var result = model.Train(images, Labels(colour, quadrant), Training);
        var accuracy = model.Accuracy(testImages, Labels(testColour, testQuadrant));

        Assert.True(accuracy["colour"] >= 0.95, $"colour accuracy {accuracy["colour"]}");
        Assert.True(accuracy["quadrant"] >= 0.95, $"quadrant accuracy {accuracy["quadrant"]}");
        Assert.True(result.FinalLoss < result.Losses[0] / 5, $"loss {result.Losses[0]} -> {result.FinalLoss}");

        var probabilities = model.Predict(testImages);
        Assert.Equal([200L, 4L], probabilities["quadrant"].shape);
        Assert.True(probabilities["colour"].sum(1).sub(1).abs().max().item<float>() < 1e-5);

        var directory = _folder.Sub("classifier");
        model.Save(directory);
        using var loaded = AttributeClassifier.Load(directory);
        Assert.Equal(Config.Heads.Select(h => (h.Name, string.Join("|", h.Classes))), loaded.Config.Heads.Select(h => (h.Name, string.Join("|", h.Classes))));
        Assert.Equal((Config.ImageSize, Config.Width, Config.Blocks), (loaded.Config.ImageSize, loaded.Config.Width, loaded.Config.Blocks));
        var reloaded = loaded.Predict(testImages);
        foreach (var head in Config.Heads) Assert.Equal(probabilities[head.Name].data<float>().ToArray(), reloaded[head.Name].data<float>().ToArray());
    }

    [Fact]
    public void Unlabelled_rows_are_ignored_by_training_and_accuracy()
    {
        using var scope = NewDisposeScope();
        var (images, colour, _) = VisionShapes.Make(64, 16, seed: 3);
        using var model = new AttributeClassifier(Config, seed: 2);
        var headBefore = model.get_parameter("heads.1.weight")!.clone();

        // No quadrant labels at all: that head gets no gradient, so Adam leaves it exactly where it was.
        var result = model.Train(images, Labels(colour, Enumerable.Repeat(AttributeClassifier.Unlabelled, 64).ToArray()),
            Training with { Steps = 5 });

        Assert.All(result.Losses, loss => Assert.True(double.IsFinite(loss)));
        Assert.Equal(headBefore.data<float>().ToArray(), model.get_parameter("heads.1.weight")!.data<float>().ToArray());

        // Accuracy over half-labelled rows equals accuracy over the labelled half alone.
        var partial = colour.Select((c, i) => i % 2 == 0 ? c : AttributeClassifier.Unlabelled).ToArray();
        var evens = tensor(Enumerable.Range(0, 32).Select(i => 2L * i).ToArray());
        var half = model.Accuracy(images, new Dictionary<string, Tensor> { ["colour"] = tensor(partial) })["colour"];
        var alone = model.Accuracy(images.index_select(0, evens), new Dictionary<string, Tensor> { ["colour"] = tensor(colour).index_select(0, evens) })["colour"];
        Assert.Equal(alone, half);
        Assert.True(double.IsNaN(model.Accuracy(images, new Dictionary<string, Tensor> { ["quadrant"] = full(64, -1L, ScalarType.Int64) })["quadrant"]));
    }

    [Fact]
    public void Equal_seeds_train_equal_weights()
    {
        using var scope = NewDisposeScope();
        var (images, colour, quadrant) = VisionShapes.Make(64, 16, seed: 5);
        using var first = new AttributeClassifier(Config, seed: 9);
        using var second = new AttributeClassifier(Config, seed: 9);

        var a = first.Train(images, Labels(colour, quadrant), Training with { Steps = 8 });
        var b = second.Train(images, Labels(colour, quadrant), Training with { Steps = 8 });

        Assert.Equal(a.Losses, b.Losses);
        foreach (var ((name, p), (_, q)) in first.named_parameters().Zip(second.named_parameters()))
            Assert.True(p.data<float>().SequenceEqual(q.data<float>()), name);
    }

    [Theory]
    [InlineData("duplicate", "head 'colour' appears twice")]
    [InlineData("one class", "head 'colour' needs at least two classes")]
    [InlineData("no heads", "at least one head (attribute) is needed")]
    [InlineData("size", "image size (20) must be a positive multiple of 2^blocks = 8")]
    [InlineData("class twice", "head 'colour' names a class twice")]
    public void Invalid_configs_throw_with_the_reason(string what, string reason)
    {
        var colour = new AttributeHead("colour", ["red", "green"]);
        var config = what switch
        {
            "duplicate" => new AttributeClassifierConfig([colour, colour]),
            "one class" => new AttributeClassifierConfig([new AttributeHead("colour", ["red"])]),
            "no heads" => new AttributeClassifierConfig([]),
            "size" => new AttributeClassifierConfig([colour], ImageSize: 20),
            _ => new AttributeClassifierConfig([new AttributeHead("colour", ["red", "red"])]),
        };

        var error = Assert.Throws<FairscopeException>(() => new AttributeClassifier(config));

        Assert.Equal($"invalid attribute classifier config: {reason}", error.Message);
    }

    [Fact]
    public void Bad_labels_and_settings_throw_clearly()
    {
        using var scope = NewDisposeScope();
        var (images, colour, _) = VisionShapes.Make(8, 16, seed: 6);
        using var model = new AttributeClassifier(Config);
        Dictionary<string, Tensor> Colour(Tensor y) => new() { ["colour"] = y };

        Assert.Contains("no head named 'age'", Assert.Throws<FairscopeException>(() => model.Accuracy(images, new Dictionary<string, Tensor> { ["age"] = tensor(colour) })).Message);
        Assert.Contains("must lie in [0, 4) or be -1", Assert.Throws<FairscopeException>(() => model.Train(images, Colour(full(8, 4L, ScalarType.Int64)), Training)).Message);
        Assert.Contains("must be integers shaped (8)", Assert.Throws<FairscopeException>(() => model.Train(images, Colour(tensor(colour).narrow(0, 0, 4)), Training)).Message);
        Assert.Contains("max shift must be ≥ 0", Assert.Throws<FairscopeException>(() => model.Train(images, Colour(tensor(colour)), Training with { MaxShift = -1 })).Message);
        Assert.Contains("images must be floating-point (N, 3, 16, 16)", Assert.Throws<FairscopeException>(() => model.Predict(zeros(1, 1, 16, 16))).Message);
    }
}
