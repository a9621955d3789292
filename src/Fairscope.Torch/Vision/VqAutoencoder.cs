using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Fairscope;

// A VQ-VAE in one file (van den Oord, Vinyals and Kavukcuoglu 2017, "Neural Discrete Representation Learning"):
// a convolutional encoder maps an image to a grid of vectors, each is replaced by its nearest codebook entry, and a
// transposed-convolution decoder maps the grid of entries back to an image. The codebook learns by exponential
// moving averages (the paper's appendix A.1) and restarts entries that fall out of use from random encoder outputs
// of the batch (Dhariwal et al. 2020, "Jukebox"), the usual cure for codebook collapse. The ids of a grid, in raster
// order, are an image's tokens for a GPT over text and image tokens. Shapes: N/B images, C channels, H×W pixels,
// D code dimensions, g grid side, M = B·g² vectors, K codebook entries.

/// <summary>A residual block at the grid's resolution, as the paper's: ReLU, 3×3 conv, ReLU, 1×1 conv, added back.</summary>
internal sealed class VqResidualBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;

    public VqResidualBlock(int width) : base(nameof(VqResidualBlock))
    {
        conv1 = Conv2d(width, width, 3, padding: 1);
        conv2 = Conv2d(width, width, 1);
        RegisterComponents();
    }

    // (B, width, g, g) -> (B, width, g, g)
    public override Tensor forward(Tensor x) => x + conv2.forward(F.relu(conv1.forward(F.relu(x))));
}

/// <summary>
/// A vector-quantised autoencoder (VQ-VAE) that turns images into <see cref="VqConfig.CodesPerImage"/> discrete
/// codes and back. <see cref="Module{T, TResult}.forward"/> reconstructs images (N, C, H, W) through the codes.
/// Images are float tensors in [0, 1]; ids are int64 (N, g²) in raster order (row by row).
/// </summary>
public sealed class VqAutoencoder : Module<Tensor, Tensor>
{
    private const int InferenceBatch = 256;

    private readonly Sequential encoder, decoder;
    // The codebook and its moving averages are buffers, not parameters: they learn by averaging, not by gradients.
    private readonly Tensor codebook; // (K, D)
    private readonly Tensor cluster_size; // (K): moving average of how many vectors chose each entry
    private readonly Tensor embed_sum; // (K, D): moving average of the sum of those vectors

    /// <summary>Creates a model with PyTorch's default initialisation drawn from <paramref name="seed"/> and an empty
    /// codebook, which the first training step fills from encoder outputs.</summary>
    public VqAutoencoder(VqConfig config, long seed = 0) : base(nameof(VqAutoencoder))
    {
        Config = config.Validate();
        int h = config.HiddenWidth, n = config.Downsamplings;
        var down = new List<(string, Module<Tensor, Tensor>)>();
        for (int i = 0; i < n; i++) // each halves H and W
        {
            down.Add(($"down{i}", Conv2d(i == 0 ? config.Channels : h, h, 4, stride: 2, padding: 1)));
            down.Add(($"relu{i}", ReLU()));
        }
        down.Add(("res", new VqResidualBlock(h)));
        down.Add(("relu", ReLU()));
        down.Add(("proj", Conv2d(h, config.CodeDim, 1)));
        encoder = Sequential(down);

        var up = new List<(string, Module<Tensor, Tensor>)> { ("proj", Conv2d(config.CodeDim, h, 3, padding: 1)), ("res", new VqResidualBlock(h)) };
        for (int i = 0; i < n; i++) // each doubles H and W; the last one outputs the image's channels
        {
            up.Add(($"relu{i}", ReLU()));
            up.Add(($"up{i}", ConvTranspose2d(h, i == n - 1 ? config.Channels : h, 4, stride: 2, padding: 1)));
        }
        decoder = Sequential(up);

        codebook = zeros(config.CodebookSize, config.CodeDim);
        cluster_size = zeros(config.CodebookSize);
        embed_sum = zeros(config.CodebookSize, config.CodeDim);
        RegisterComponents();
        VisionModules.Reset(this, seed);
    }

    /// <summary>The model's shape.</summary>
    public VqConfig Config { get; }

    private Device Device => codebook.device;

    /// <summary>Reconstructions (N, C, H, W) of <paramref name="images"/> through their codes, with gradients to the
    /// encoder by the straight-through estimator (the decoder's input is <c>z_e + sg(e − z_e)</c>).</summary>
    public override Tensor forward(Tensor images)
    {
        var z = encoder.forward(images); // (B, D, g, g)
        var flat = Flatten(z); // (M, D)
        var quantised = codebook.index_select(0, Nearest(flat)); // (M, D)
        return Decode(flat + (quantised - flat).detach(), images.shape[0]);
    }

    /// <summary>Each image's codes (N, g²), int64, in raster order.</summary>
    public Tensor Encode(Tensor images)
    {
        CheckImages(images);
        return Infer(images, x => Nearest(Flatten(encoder.forward(x))).view(x.shape[0], -1));
    }

    /// <summary>Each image's codes as arrays of g² ids in raster order.</summary>
    public int[][] EncodeIds(Tensor images)
    {
        using var ids = Encode(images);
        using var ints = ids.to(ScalarType.Int32).cpu();
        var flat = ints.data<int>().ToArray();
        int per = Config.CodesPerImage;
        return Enumerable.Range(0, flat.Length / per).Select(i => flat[(i * per)..((i + 1) * per)]).ToArray();
    }

    /// <summary>Images (N, C, H, W) in [0, 1] decoded from codes <paramref name="ids"/> (N, g²) in raster order.</summary>
    public Tensor Decode(Tensor ids)
    {
        if (ids.dim() != 2 || ids.shape[1] != Config.CodesPerImage || ids.is_floating_point())
            throw new FairscopeException($"VQ: ids must be integers shaped (N, {Config.CodesPerImage}); got {ids.dtype} [{string.Join(", ", ids.shape)}]");
        using var ids64 = ids.to(ScalarType.Int64);
        if (ids.numel() > 0 && (ids64.min().item<long>() < 0 || ids64.max().item<long>() >= Config.CodebookSize))
            throw new FairscopeException($"VQ: ids must lie in [0, {Config.CodebookSize})");
        return Infer(ids64, x => Decode(codebook.index_select(0, x.reshape(-1)), x.shape[0]));
    }

    /// <summary>Images decoded from arrays of g² ids each (raster order).</summary>
    public Tensor Decode(IReadOnlyList<IReadOnlyList<int>> ids)
    {
        if (ids.FirstOrDefault(row => row.Count != Config.CodesPerImage) is { } bad)
            throw new FairscopeException($"VQ: every image needs {Config.CodesPerImage} ids; got {bad.Count}");
        using var tensor = torch.tensor(ids.SelectMany(row => row).Select(id => (long)id).ToArray()).view(ids.Count, Config.CodesPerImage);
        return Decode(tensor);
    }

    /// <summary>Reconstructions (N, C, H, W) of <paramref name="images"/>: encode, then decode (exactly the codebook
    /// entries, where <see cref="forward"/> adds the straight-through term and its rounding).</summary>
    public Tensor Reconstruct(Tensor images)
    {
        CheckImages(images);
        return Infer(images, x => Decode(codebook.index_select(0, Nearest(Flatten(encoder.forward(x)))), x.shape[0]));
    }

    /// <summary>The encoder's output before quantisation, flattened: (N, D·g²), channel-major. A continuous
    /// representation for linear probes of what the codes can capture.</summary>
    public Tensor Features(Tensor images)
    {
        using var latents = Latents(images);
        return latents.flatten(1);
    }

    /// <summary>The encoder's output before quantisation, (N, D, g, g): the continuous latent a latent diffusion model
    /// learns to generate (the VQ-regularised first stage of Rombach et al. 2022).</summary>
    public Tensor Latents(Tensor images)
    {
        CheckImages(images);
        return Infer(images, encoder.forward);
    }

    /// <summary>Images (N, C, H, W) in [0, 1] from continuous latents (N, D, g, g): each vector snapped to its nearest
    /// codebook entry, then decoded (how the VQ-regularised latent diffusion model decodes what it generated).</summary>
    public Tensor DecodeLatents(Tensor latents)
    {
        if (latents.dim() != 4 || latents.shape[1] != Config.CodeDim || latents.shape[2] != Config.Grid || latents.shape[3] != Config.Grid)
            throw new FairscopeException($"VQ: latents must be (N, {Config.CodeDim}, {Config.Grid}, {Config.Grid}); got [{string.Join(", ", latents.shape)}]");
        return Infer(latents, z => Decode(codebook.index_select(0, Nearest(Flatten(z))), z.shape[0]));
    }

    /// <summary>Mean squared reconstruction error and codebook usage on <paramref name="images"/>.</summary>
    public VqEvaluation Evaluate(Tensor images)
    {
        CheckImages(images);
        using var scope = NewDisposeScope();
        var ids = Encode(images);
        var reconstruction = Decode(ids);
        double mse = images.numel() == 0 ? double.NaN : F.mse_loss(reconstruction, images.to(Device)).item<float>();
        var counts = ids.reshape(-1).bincount(null, Config.CodebookSize).to(ScalarType.Float64); // (K)
        return new VqEvaluation(mse, Perplexity(counts), (int)counts.gt(0).sum().item<long>(), (int)images.shape[0]);
    }

    /// <summary>
    /// Trains the model in place on <paramref name="images"/> (N, C, H, W) in [0, 1], on the device the model is on.
    /// Each step draws a batch (seeded epochs), restarts codebook entries whose averaged use fell below one vector per
    /// step from its encodings, quantises them, updates the codebook's moving averages, and takes an Adam step on
    /// <c>‖x − D(z_q)‖² + β‖z_e − sg(e)‖²</c>. Equal seeds, images and configs give equal weights on the same machine
    /// and thread count. Reports each step to <paramref name="progress"/>; the model is left in the mode it came in.
    /// </summary>
    public VqTrainingResult Train(Tensor images, VqTrainingConfig config, IProgress<VisionTrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        config.Validate();
        CheckImages(images);
        if (images.shape[0] == 0) throw new FairscopeException("VQ: training needs at least one image");
        var clock = Stopwatch.StartNew();
        var batches = new VisionBatches((int)images.shape[0], config.Seed);
        using var generator = new Generator((ulong)config.Seed, Device);
        using var optimizer = optim.Adam(parameters(), config.LearningRate);
        var losses = new List<double>(config.Steps);
        long restarts = 0;
        bool wasTraining = training;
        train();
        try
        {
            for (int step = 0; step < config.Steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var x = images.index_select(0, tensor(batches.Next(config.BatchSize), device: images.device)).to(Device); // (B, C, H, W)
                optimizer.zero_grad();
                var flat = Flatten(encoder.forward(x)); // (M, D)
                Tensor quantised;
                double perplexity;
                using (no_grad())
                {
                    restarts += RestartDeadCodes(flat, generator);
                    var ids = Nearest(flat); // (M)
                    quantised = codebook.index_select(0, ids);
                    perplexity = UpdateCodebook(flat, ids, config.CodebookDecay);
                }
                var reconstruction = Decode(flat + (quantised - flat).detach(), x.shape[0]); // straight-through
                var loss = F.mse_loss(reconstruction, x) + config.CommitmentCost * F.mse_loss(flat, quantised);
                loss.backward();
                optimizer.step();
                losses.Add(loss.item<float>());
                progress?.Report(new VisionTrainingProgress(step + 1, losses[^1], perplexity));
            }
        }
        finally
        {
            train(wasTraining);
        }
        var evaluation = Evaluate(images);
        return new VqTrainingResult(losses, restarts, evaluation, clock.Elapsed);
    }

    /// <summary>Writes <c>config.json</c> and <c>model.safetensors</c> (weights and codebook) to <paramref name="directory"/>.</summary>
    public void Save(string directory) => VisionCheckpoint.Save(this, Config, directory);

    /// <summary>Loads the model saved in <paramref name="directory"/> (on the CPU, or moved to <paramref name="device"/>),
    /// in evaluation mode. Throws <see cref="FairscopeException"/> when the files are missing or do not match the config.</summary>
    public static VqAutoencoder Load(string directory, Device? device = null)
        => VisionCheckpoint.Load<VqAutoencoder, VqConfig>(directory, "VQ", config => new VqAutoencoder(config), device);

    // Jukebox's restarts: an entry whose averaged count has fallen below one vector per step takes a random vector of
    // this batch, with count 1. Done before quantising, so the vector it copies chooses it at once: restarting from an
    // earlier step's vectors, which the encoder has since moved away from, lets one entry win everything (collapse).
    // On the first step every entry is dead, so this is also the codebook's initialisation. Returns how many restarted.
    private long RestartDeadCodes(Tensor flat, Generator generator)
    {
        var dead = cluster_size.lt(1); // (K)
        long restarted = dead.sum().item<long>();
        if (restarted == 0) return 0;
        var replacements = flat.index_select(0, randint(0, flat.shape[0], [Config.CodebookSize], ScalarType.Int64, Device, generator: generator)); // (K, D)
        embed_sum.copy_(where(dead.unsqueeze(1), replacements, embed_sum));
        codebook.copy_(where(dead.unsqueeze(1), replacements, codebook));
        cluster_size.masked_fill_(dead, 1);
        return restarted;
    }

    // The moving-average codebook update (van den Oord et al. 2017, appendix A.1): each entry becomes the averaged sum
    // of the vectors that chose it over their averaged count. Returns the batch's code perplexity.
    private double UpdateCodebook(Tensor flat, Tensor ids, double decay)
    {
        long K = Config.CodebookSize;
        var counts = zeros(K, device: Device).index_add_(0, ids, ones(flat.shape[0], device: Device), 1); // (K)
        var sums = zeros(K, Config.CodeDim, device: Device).index_add_(0, ids, flat, 1); // (K, D)
        cluster_size.mul_(decay).add_(counts, alpha: 1 - decay);
        embed_sum.mul_(decay).add_(sums, alpha: 1 - decay);
        codebook.copy_(embed_sum / cluster_size.clamp_min(1e-5).unsqueeze(1));
        return Perplexity(counts.to(ScalarType.Float64));
    }

    // exp(entropy) of code frequencies from counts (K): K when all entries are used equally, 1 when one is.
    private static double Perplexity(Tensor counts)
    {
        var p = counts / counts.sum().clamp_min(1);
        return Math.Exp(-(p * (p + 1e-12).log()).sum().item<double>());
    }

    // Index of the nearest codebook entry (squared Euclidean) of each vector (M, D): (M).
    private Tensor Nearest(Tensor flat) =>
        (flat.pow(2).sum(1, keepdim: true) - 2 * flat.matmul(codebook.t()) + codebook.pow(2).sum(1)).argmin(1); // (M, K) -> (M)

    // (B, D, g, g) -> (B·g², D), vectors in raster order per image.
    private Tensor Flatten(Tensor z) => z.permute(0, 2, 3, 1).reshape(-1, Config.CodeDim);

    // (B·g², D) -> (B, C, H, W) in [0, 1].
    private Tensor Decode(Tensor vectors, long batch) =>
        decoder.forward(vectors.view(batch, Config.Grid, Config.Grid, Config.CodeDim).permute(0, 3, 1, 2)).sigmoid();

    // Runs body on chunks of rows, without gradients and in evaluation mode, on the model's device; concatenates.
    private Tensor Infer(Tensor input, Func<Tensor, Tensor> body) => VisionModules.Infer(this, input, InferenceBatch, body);

    private void CheckImages(Tensor images)
    {
        if (images.dim() != 4 || images.shape[1] != Config.Channels || images.shape[2] != Config.ImageSize || images.shape[3] != Config.ImageSize || !images.is_floating_point())
            throw new FairscopeException($"VQ: images must be floating-point (N, {Config.Channels}, {Config.ImageSize}, {Config.ImageSize}); got {images.dtype} [{string.Join(", ", images.shape)}]");
    }
}
