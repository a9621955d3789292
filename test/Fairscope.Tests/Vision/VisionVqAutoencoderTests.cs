using static TorchSharp.torch;

namespace Fairscope.Tests;

/// <summary>A VQ autoencoder trained once on the toy squares, shared by the tests that read it.</summary>
public sealed class VisionVqFixture : IDisposable
{
    public static readonly VqConfig Config = new(ImageSize: 16, Grid: 4, CodeDim: 16, CodebookSize: 64, HiddenWidth: 32);

    public VisionVqFixture()
    {
        Images = VisionShapes.Make(256, 16, seed: 1).Images;
        Model = new VqAutoencoder(Config, seed: 3);
        Result = Model.Train(Images, new VqTrainingConfig(Steps: 400, BatchSize: 32, Seed: 5));
    }

    public Tensor Images { get; }
    public VqAutoencoder Model { get; }
    public VqTrainingResult Result { get; }

    public void Dispose()
    {
        Model.Dispose();
        Images.Dispose();
    }
}

/// <summary><see cref="VqAutoencoder"/>: it learns to reconstruct, encodes deterministically in raster order,
/// round-trips through save and load, and rejects bad configs and inputs with clear errors.</summary>
public sealed class VisionVqAutoencoderTests(VisionVqFixture fixture) : IClassFixture<VisionVqFixture>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Training_reconstructs_far_below_the_data_variance_and_uses_many_codes()
    {
        double variance = fixture.Images.var().item<float>();

        var evaluation = fixture.Result.Evaluation;

        Assert.True(evaluation.ReconstructionMse < 0.1 * variance, $"MSE {evaluation.ReconstructionMse} vs variance {variance}");
        Assert.Equal(256, evaluation.Images);
        Assert.True(evaluation.CodesUsed >= 8, $"{evaluation.CodesUsed} codes used");
        Assert.True(evaluation.Perplexity > 4, $"perplexity {evaluation.Perplexity}");
        Assert.True(fixture.Result.Restarts >= VisionVqFixture.Config.CodebookSize); // the first step fills the codebook
        Assert.Equal(400, fixture.Result.Losses.Count);
        Assert.True(fixture.Result.Losses[^1] < fixture.Result.Losses[0]);
    }

    [Fact]
    public void Encode_then_decode_has_the_documented_shapes()
    {
        using var scope = NewDisposeScope();
        var images = fixture.Images[TensorIndex.Slice(0, 5)];

        var ids = fixture.Model.Encode(images);
        var decoded = fixture.Model.Decode(ids);
        var arrays = fixture.Model.EncodeIds(images);

        Assert.Equal([5L, 16L], ids.shape);
        Assert.Equal(ScalarType.Int64, ids.dtype);
        Assert.True(ids.min().item<long>() >= 0 && ids.max().item<long>() < 64);
        Assert.Equal([5L, 3L, 16L, 16L], decoded.shape);
        Assert.True(decoded.min().item<float>() >= 0 && decoded.max().item<float>() <= 1);
        Assert.Equal(ids.data<long>().ToArray(), arrays.SelectMany(row => row).Select(id => (long)id).ToArray());
        Assert.Equal(decoded.data<float>().ToArray(), fixture.Model.Decode(arrays).data<float>().ToArray());
        Assert.Equal(decoded.data<float>().ToArray(), fixture.Model.Reconstruct(images).data<float>().ToArray());
        Assert.Equal([5L, 16L * 4 * 4], fixture.Model.Features(images).shape);
    }

    [Fact]
    public void Encode_is_deterministic_and_equal_seeds_train_equal_weights()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(fixture.Model.Encode(fixture.Images).data<long>().ToArray(), fixture.Model.Encode(fixture.Images).data<long>().ToArray());

        var images = fixture.Images[TensorIndex.Slice(0, 64)];
        var config = new VqTrainingConfig(Steps: 10, BatchSize: 16, Seed: 2);
        using var first = new VqAutoencoder(VisionVqFixture.Config, seed: 7);
        using var second = new VqAutoencoder(VisionVqFixture.Config, seed: 7);
        var a = first.Train(images, config);
        var b = second.Train(images, config);

        Assert.Equal(a.Losses, b.Losses);
        Assert.Equal(first.Encode(images).data<long>().ToArray(), second.Encode(images).data<long>().ToArray());
        Assert.Equal(first.Reconstruct(images).data<float>().ToArray(), second.Reconstruct(images).data<float>().ToArray());
    }

    [Fact]
    public void Save_then_load_gives_identical_ids_and_outputs()
    {
        using var scope = NewDisposeScope();
        var directory = _folder.Sub("vq");

        fixture.Model.Save(directory);
        using var loaded = VqAutoencoder.Load(directory);

        Assert.Equal(VisionVqFixture.Config, loaded.Config);
        Assert.Equal(fixture.Model.Encode(fixture.Images).data<long>().ToArray(), loaded.Encode(fixture.Images).data<long>().ToArray());
        Assert.Equal(fixture.Model.Reconstruct(fixture.Images).data<float>().ToArray(), loaded.Reconstruct(fixture.Images).data<float>().ToArray());
        var names = SafetensorsHeader.Read(Path.Combine(directory, "model.safetensors")).Names.ToHashSet();
        Assert.Contains("codebook", names);
        Assert.Contains("encoder.down0.weight", names);
    }

    [Theory]
    [InlineData(30, 8, "image size (30) must be the grid (8) times a power of two")]
    [InlineData(24, 8, "image size (24) must be the grid (8) times a power of two")]
    [InlineData(8, 8, "image size (8) must be the grid (8) times a power of two")]
    [InlineData(32, 0, "grid must be at least 1, got 0")]
    public void Invalid_configs_throw_with_the_reason(int imageSize, int grid, string reason)
    {
        var error = Assert.Throws<FairscopeException>(() => new VqAutoencoder(new VqConfig(ImageSize: imageSize, Grid: grid)));
        Assert.Contains(reason, error.Message);
        Assert.StartsWith("invalid VQ config", error.Message);
    }

    [Fact]
    public void Bad_training_settings_inputs_and_checkpoints_throw_clearly()
    {
        using var scope = NewDisposeScope();
        Assert.Contains("steps must be at least 1", Assert.Throws<FairscopeException>(() => fixture.Model.Train(fixture.Images, new VqTrainingConfig(Steps: 0))).Message);
        Assert.Contains("codebook decay must be in [0, 1)", Assert.Throws<FairscopeException>(() => new VqTrainingConfig(CodebookDecay: 1).Validate()).Message);
        Assert.Contains("images must be floating-point (N, 3, 16, 16)", Assert.Throws<FairscopeException>(() => fixture.Model.Encode(zeros(2, 3, 32, 32))).Message);
        Assert.Contains("ids must lie in [0, 64)", Assert.Throws<FairscopeException>(() => fixture.Model.Decode(full(1, 16, 64L, ScalarType.Int64))).Message);
        Assert.Contains("needs 16 ids", Assert.Throws<FairscopeException>(() => fixture.Model.Decode([new[] { 1, 2 }])).Message);
        Assert.Contains("VQ config not found", Assert.Throws<FairscopeException>(() => VqAutoencoder.Load(_folder.Sub("none"))).Message);

        var directory = _folder.Sub("other");
        using (var other = new VqAutoencoder(VisionVqFixture.Config with { CodebookSize = 32 })) other.Save(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), File.ReadAllText(Path.Combine(directory, "config.json")).Replace("\"codebook_size\": 32", "\"codebook_size\": 64"));
        Assert.Contains("tensor 'codebook' has shape [32, 16], but the VQ config needs [64, 16]",
            Assert.Throws<FairscopeException>(() => VqAutoencoder.Load(directory)).Message);
    }
}
