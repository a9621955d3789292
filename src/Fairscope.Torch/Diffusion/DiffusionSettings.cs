namespace Fairscope;

/// <summary>
/// Everything that decides the diffusion laboratory's results (docs/diffusion.md): the portrait world's skew, what the
/// model learns from and how long, how images are sampled and audited, and the closed-form edit's options. Same
/// settings, same results (on one machine and thread count). <see cref="Demo"/> is sized for <c>fairscope demo
/// diffusion</c> on two cores.
/// </summary>
/// <param name="World">Skew of the training world (the classifier's data is balanced).</param>
/// <param name="TrainingImages">Captioned portraits the diffusion model (and its autoencoder) learn from.</param>
/// <param name="GroupCaptionShare">Share of captions that name the person's groups ("a young black female nurse"), each
/// attribute named with probability ½ (at least one); the rest are the audit's neutral caption.</param>
/// <param name="ClassifierImages">Balanced portraits the attribute classifier learns from.</param>
/// <param name="ClassifierSteps">Training steps of the classifier.</param>
/// <param name="Autoencoder">Shape of the first-stage VQ autoencoder, whose continuous latents are diffused.</param>
/// <param name="AutoencoderSteps">Its training steps.</param>
/// <param name="TextEncoder">Shape of the CLIP text encoder trained with the U-Net (vocabulary size filled in).</param>
/// <param name="UNet">Shape of the U-Net (latent channels, size and text width filled in).</param>
/// <param name="Training">The joint training of U-Net and text encoder.</param>
/// <param name="SamplingSteps">DDIM steps per image.</param>
/// <param name="GuidanceScale">Classifier-free guidance scale.</param>
/// <param name="SamplesPerPrompt">Images per occupation prompt in an audit.</param>
/// <param name="Edit">The closed-form edit and its iterative weight search.</param>
/// <param name="Seed">Base seed of pictures, models and sampling.</param>
public sealed record DiffusionSettings(
    PortraitWorldOptions World,
    int TrainingImages,
    double GroupCaptionShare,
    int ClassifierImages,
    int ClassifierSteps,
    VqConfig Autoencoder,
    int AutoencoderSteps,
    ClipTextConfig TextEncoder,
    UNetConfig UNet,
    DiffusionTrainingConfig Training,
    int SamplingSteps,
    double GuidanceScale,
    int SamplesPerPrompt,
    MistOptions Edit,
    int Seed)
{
    /// <summary>The <c>fairscope demo diffusion</c> size: minutes on two cores.</summary>
    public static DiffusionSettings Demo(int seed = 0) => new(new PortraitWorldOptions(), TrainingImages: 6000, GroupCaptionShare: 0.5,
        ClassifierImages: 2304, ClassifierSteps: 800,
        new VqConfig(ImageSize: PortraitWorld.Size, Grid: 8, CodeDim: 32, CodebookSize: 256, HiddenWidth: 32), AutoencoderSteps: 600,
        new ClipTextConfig(VocabSize: 1, Width: 64, Layers: 2, Heads: 4, MaxPositions: 20, IntermediateSize: 256),
        new UNetConfig(1, 1, [32, 64], LayersPerBlock: 1, CrossAttentionDim: 1, AttentionHeadDim: 32, NormGroups: 16),
        new DiffusionTrainingConfig(Steps: 1500, BatchSize: 64, LearningRate: 1e-3, Seed: seed),
        SamplingSteps: 20, GuidanceScale: 3, SamplesPerPrompt: 32, MistOptions.Demo, seed);

    /// <summary>A few seconds' worth, for tests: every stage runs, nothing is learnt well.</summary>
    public static DiffusionSettings Tiny(int seed = 0) => new(new PortraitWorldOptions(), TrainingImages: 96, GroupCaptionShare: 0.5,
        ClassifierImages: 192, ClassifierSteps: 10,
        new VqConfig(ImageSize: PortraitWorld.Size, Grid: 8, CodeDim: 8, CodebookSize: 32, HiddenWidth: 16), AutoencoderSteps: 10,
        new ClipTextConfig(VocabSize: 1, Width: 16, Layers: 1, Heads: 2, MaxPositions: 20, IntermediateSize: 32),
        new UNetConfig(1, 1, [16, 16], LayersPerBlock: 1, CrossAttentionDim: 1, AttentionHeadDim: 16, NormGroups: 8),
        new DiffusionTrainingConfig(Steps: 5, BatchSize: 8, Seed: seed),
        SamplingSteps: 3, GuidanceScale: 3, SamplesPerPrompt: 4, MistOptions.Demo with { Iterations = 2, ImagesPerConcept = 4 }, seed);

    /// <summary>Throws <see cref="FairscopeException"/> naming the first invalid value.</summary>
    public DiffusionSettings Validate()
    {
        World.Validate();
        Autoencoder.Validate();
        Training.Validate();
        Edit.Validate();
        if (Autoencoder.ImageSize != PortraitWorld.Size) throw new FairscopeException($"the autoencoder must read {PortraitWorld.Size}-pixel portraits, not {Autoencoder.ImageSize}");
        foreach (var (name, value) in new[] { ("training images", TrainingImages), ("classifier images", ClassifierImages), ("classifier steps", ClassifierSteps),
                     ("autoencoder steps", AutoencoderSteps) })
            if (value < 1) throw new FairscopeException($"{name} must be at least 1, not {value}");
        if (SamplesPerPrompt < 2) throw new FairscopeException($"samples per prompt must be at least 2, not {SamplesPerPrompt}");
        if (!(GroupCaptionShare >= 0 && GroupCaptionShare <= 1)) throw new FairscopeException($"the group caption share must be in [0, 1], not {GroupCaptionShare}");
        new DiffusionPipelineConfig(1, SamplingSteps, GuidanceScale).Validate();
        return this;
    }
}
