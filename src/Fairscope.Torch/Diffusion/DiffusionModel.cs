using System.Text.Json;
using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace Fairscope;

/// <summary>
/// What a saved <see cref="DiffusionModel"/> needs besides its parts' weights (its <c>model_index.json</c>).
/// </summary>
/// <param name="LatentScale">Multiplies the autoencoder's latents to unit variance before diffusion, as Stable
/// Diffusion's VAE scaling factor (0.18215) does; sampled latents are divided by it before decoding.</param>
/// <param name="SamplingSteps">DDIM steps per image.</param>
/// <param name="GuidanceScale">Classifier-free guidance: ε = ε(∅) + g·(ε(text) − ε(∅)), the empty prompt as ∅.</param>
public sealed record DiffusionPipelineConfig(
    [property: JsonPropertyName("latent_scale")] double LatentScale,
    [property: JsonPropertyName("sampling_steps")] int SamplingSteps = 20,
    [property: JsonPropertyName("guidance_scale")] double GuidanceScale = 3)
{
    /// <summary>Throws <see cref="FairscopeException"/> naming the first invalid value.</summary>
    public DiffusionPipelineConfig Validate()
    {
        if (!(LatentScale > 0 && double.IsFinite(LatentScale))) throw new FairscopeException($"the latent scale must be a positive number, not {LatentScale}");
        NoiseSchedule.DdimTimesteps(SamplingSteps);
        if (!(GuidanceScale >= 0 && GuidanceScale <= 100)) throw new FairscopeException($"the guidance scale must be between 0 and 100, not {GuidanceScale}");
        return this;
    }
}

/// <summary>
/// A small latent text-to-image diffusion model laid out like a diffusers Stable Diffusion pipeline, so the tools that
/// read real checkpoints read it too: a CLIP tokenizer and text encoder (<c>tokenizer/</c>, <c>text_encoder/</c>), a
/// text-conditioned <see cref="UNet"/> (<c>unet/diffusion_pytorch_model.safetensors</c>, whose <c>attn2.to_k</c> and
/// <c>attn2.to_v</c> the cross-attention edit rewrites), and a first-stage autoencoder (<c>vae/</c>, here the VQ
/// autoencoder's continuous latents). Images are drawn with DDIM and classifier-free guidance from a per-image seed, so an
/// image depends on its prompt and seed only, not on what else is in the batch. Inference is serialised.
/// </summary>
public sealed class DiffusionModel : IDisposable
{
    /// <summary>Parts of a saved model.</summary>
    public const string TokenizerFolder = "tokenizer", TextEncoderFolder = "text_encoder", UNetFolder = "unet", VaeFolder = "vae", IndexFile = "model_index.json";

    /// <summary>The U-Net's weights file, as diffusers names it.</summary>
    public const string UNetWeightsFile = "diffusion_pytorch_model.safetensors";

    /// <summary>Where a laboratory-trained model keeps the attribute classifier of its world (the audit's annotator for it).</summary>
    public const string ClassifierFolder = "classifier";

    private const int InferenceBatch = 128;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly Lock _inference = new();

    public DiffusionModel(ClipTokenizer tokenizer, ClipTextModel textEncoder, UNet unet, VqAutoencoder vae, DiffusionPipelineConfig config)
    {
        if (textEncoder.Config.Width != unet.Config.CrossAttentionDim)
            throw new FairscopeException($"the text encoder's width is {textEncoder.Config.Width} but the U-Net cross-attends to {unet.Config.CrossAttentionDim}");
        if (vae.Config.CodeDim != unet.Config.InChannels || vae.Config.Grid != unet.Config.SampleSize)
            throw new FairscopeException($"the autoencoder's latents are {vae.Config.CodeDim}×{vae.Config.Grid}² but the U-Net denoises {unet.Config.InChannels}×{unet.Config.SampleSize}²");
        (Tokenizer, TextEncoder, UNet, Vae, Config) = (tokenizer, textEncoder, unet, vae, config.Validate());
    }

    public ClipTokenizer Tokenizer { get; }
    public ClipTextModel TextEncoder { get; }
    public UNet UNet { get; }
    public VqAutoencoder Vae { get; }
    public DiffusionPipelineConfig Config { get; }

    /// <summary>Image side in pixels.</summary>
    public int ImageSize => Vae.Config.ImageSize;

    /// <summary>Padded token ids (B, T) of <paramref name="prompts"/>, int64.</summary>
    public Tensor TokenIds(IEnumerable<string> prompts)
    {
        var rows = prompts.Select(p => Tokenizer.EncodePadded(p).Ids).ToList();
        return tensor(rows.SelectMany(r => r).Select(id => (long)id).ToArray(), ScalarType.Int64).view(rows.Count, Tokenizer.MaxLength);
    }

    /// <summary>
    /// The predicted noise of <paramref name="latents"/> x_t (B, D, g, g) at <paramref name="timesteps"/> (B) given the text's
    /// hidden states: <c>√(1 − ᾱ_t)·x_t + UNet(x_t, t, text)</c>. The first term is the exact answer for unit-variance
    /// Gaussian latents, so the U-Net learns only what the data adds to it (the skip of Karras et al. 2022, "Elucidating
    /// the Design Space of Diffusion-Based Generative Models", in ε-form): a U-Net this small, trained for minutes, otherwise
    /// spends most of its steps learning to copy its input at high noise levels.
    /// </summary>
    public Tensor PredictNoise(Tensor latents, Tensor timesteps, Tensor context) =>
        NoiseSchedule.StableDiffusion.NoiseScale(timesteps, latents.device) * latents + UNet.forward(latents, timesteps, context);

    /// <summary>The scaled latents (N, D, g, g) the U-Net learns to generate, of images (N, 3, H, W) in [0, 1].</summary>
    public Tensor Latents(Tensor images)
    {
        using var latents = Vae.Latents(images);
        return latents * Config.LatentScale;
    }

    /// <summary>One image per (prompt, seed) pair: the seed draws the starting noise, DDIM with
    /// <see cref="DiffusionPipelineConfig.SamplingSteps"/> steps (or <paramref name="steps"/>) and guidance
    /// <see cref="DiffusionPipelineConfig.GuidanceScale"/> (or <paramref name="guidance"/>) denoises it, the autoencoder decodes it.</summary>
    public RgbImage[] Draw(IReadOnlyList<string> prompts, IReadOnlyList<long> seeds, int? steps = null, double? guidance = null)
    {
        if (prompts.Count != seeds.Count) throw new ArgumentException($"{prompts.Count} prompts but {seeds.Count} seeds");
        var timesteps = NoiseSchedule.DdimTimesteps(steps ?? Config.SamplingSteps);
        double g = guidance ?? Config.GuidanceScale;
        var images = new List<RgbImage>(prompts.Count);
        lock (_inference)
        {
            bool wasTraining = UNet.training;
            UNet.eval();
            TextEncoder.eval();
            try
            {
                using var _ = no_grad();
                for (int start = 0; start < prompts.Count; start += InferenceBatch)
                {
                    using var scope = NewDisposeScope();
                    int n = Math.Min(InferenceBatch, prompts.Count - start);
                    var text = TextEncoder.forward(TokenIds(prompts.Skip(start).Take(n)));
                    var empty = TextEncoder.forward(TokenIds([""])).expand(n, -1, -1);
                    var context = cat([text, empty], 0); // (2n, T, D): conditional rows, then unconditional
                    var x = cat([.. seeds.Skip(start).Take(n).Select(Noise)], 0); // (n, D, g, g)
                    for (int k = 0; k < timesteps.Length; k++)
                    {
                        // Each step's activations are freed before the next: kept for all steps they take gigabytes.
                        using var step = NewDisposeScope();
                        var t = full(2 * n, (long)timesteps[k], ScalarType.Int64);
                        var noise = PredictNoise(cat([x, x], 0), t, context).chunk(2, 0);
                        var guided = noise[1] + g * (noise[0] - noise[1]);
                        x = NoiseSchedule.StableDiffusion.DdimStep(x, guided, timesteps[k], k + 1 < timesteps.Length ? timesteps[k + 1] : -1).MoveToOuterDisposeScope();
                    }
                    images.AddRange(ImageTensors.ToImages(Vae.DecodeLatents(x / Config.LatentScale)));
                }
            }
            finally
            {
                UNet.train(wasTraining);
                TextEncoder.train(wasTraining);
            }
        }
        return [.. images];
    }

    // The starting latent of one image: standard normal noise from its own seeded generator.
    private Tensor Noise(long seed)
    {
        using var generator = new Generator((ulong)seed);
        var c = UNet.Config;
        return randn([1, c.InChannels, c.SampleSize, c.SampleSize], generator: generator);
    }

    /// <summary>Writes the model in a diffusers-like layout to <paramref name="directory"/>; the tokenizer files are
    /// copied from <paramref name="tokenizerDirectory"/> (vocab.json and merges.txt).</summary>
    public void Save(string directory, string tokenizerDirectory)
    {
        var tokenizerTarget = Path.GetFullPath(Path.Combine(directory, TokenizerFolder));
        Directory.CreateDirectory(tokenizerTarget);
        if (tokenizerTarget != Path.GetFullPath(tokenizerDirectory))
            foreach (var file in new[] { BpeVocabulary.VocabFileName, BpeVocabulary.MergesFileName })
                File.Copy(Path.Combine(tokenizerDirectory, file), Path.Combine(tokenizerTarget, file), overwrite: true);
        TextEncoder.Save(Path.Combine(directory, TextEncoderFolder));
        VisionCheckpoint.Save(UNet, UNet.Config, Path.Combine(directory, UNetFolder), UNetWeightsFile);
        Vae.Save(Path.Combine(directory, VaeFolder));
        File.WriteAllText(Path.Combine(directory, IndexFile), JsonSerializer.Serialize(Config, Json));
    }

    /// <summary>Loads a model saved by <see cref="Save"/> (or edited by <c>fairscope edit</c>), in evaluation mode.</summary>
    public static DiffusionModel Load(string directory)
    {
        var index = Path.Combine(directory, IndexFile);
        if (!File.Exists(index)) throw new FairscopeException($"{directory}: not a Fairscope diffusion model ({IndexFile} not found)");
        DiffusionPipelineConfig config;
        try
        {
            config = JsonSerializer.Deserialize<DiffusionPipelineConfig>(File.ReadAllText(index)) ?? throw new FairscopeException($"{index}: empty");
        }
        catch (JsonException e)
        {
            throw new FairscopeException($"{index}: invalid: {e.Message}", e);
        }
        var parts = new List<IDisposable>();
        try
        {
            var textEncoder = Add(ClipTextModel.Load(Path.Combine(directory, TextEncoderFolder)));
            var tokenizer = ClipTokenizer.Load(Path.Combine(directory, TokenizerFolder), textEncoder.Config.MaxPositions);
            var unet = Add(VisionCheckpoint.Load<UNet, UNetConfig>(Path.Combine(directory, UNetFolder), "U-Net", c => new UNet(c), null, UNetWeightsFile));
            var vae = Add(VqAutoencoder.Load(Path.Combine(directory, VaeFolder)));
            textEncoder.eval();
            return new DiffusionModel(tokenizer, textEncoder, unet, vae, config);
        }
        catch
        {
            foreach (var part in parts) part.Dispose();
            throw;
        }

        T Add<T>(T part) where T : IDisposable
        {
            parts.Add(part);
            return part;
        }
    }

    public void Dispose()
    {
        TextEncoder.Dispose();
        UNet.Dispose();
        Vae.Dispose();
    }
}
