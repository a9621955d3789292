namespace Fairscope;

/// <summary>
/// Everything that decides the multimodal laboratory's results (docs/multimodal.md): the portrait world's skew, how many
/// pictures each model learns from, the shapes and training lengths of the classifier, the image tokenizer and the
/// unified model, how models are audited, and the two stages of balanced preference optimisation. Same settings, same
/// results (on one machine and thread count). <see cref="Demo"/> is sized for <c>fairscope demo multimodal</c> on two cores.
/// </summary>
/// <param name="World">Skew of the organism's training world (the classifier and the fine-tuning data are balanced).</param>
/// <param name="GenerationImages">Captioned portraits the unified model learns to draw.</param>
/// <param name="UnderstandingImages">Pictures the unified model learns to answer questions about.</param>
/// <param name="UnanswerableShare">Share of understanding pictures with nobody in them, whose answer is "unknown".</param>
/// <param name="GroupCaptionShare">Share of generation captions that name the person's group for one attribute ("a female nurse").</param>
/// <param name="ClassifierImages">Balanced portraits the attribute classifier learns from (held-out: a quarter as many).</param>
/// <param name="ClassifierSteps">Training steps of the classifier.</param>
/// <param name="Tokenizer">Shape of the image tokenizer.</param>
/// <param name="TokenizerSteps">Training steps of each image tokenizer.</param>
/// <param name="Model">Shape of the unified transformer; its vocabulary size is filled in from the vocabulary.</param>
/// <param name="ModelSteps">Training steps of the unified model (from scratch).</param>
/// <param name="SamplesPerPrompt">Images per occupation prompt in an audit, and understanding answers per question.</param>
/// <param name="LocateSamples">Images per prompt sampled for the token histograms of the language-model locate test.</param>
/// <param name="FineTuneSteps">Steps of stage 1 (supervised fine-tuning on balanced data) and of the understanding-only control.</param>
/// <param name="PreferenceSteps">Steps of stage 2 (BPO).</param>
/// <param name="PreferenceBeta">BPO's β.</param>
/// <param name="AutoregressiveWeight">α: weight of the autoregressive loss on the balanced data kept beside BPO, for fidelity.</param>
/// <param name="Seed">Base seed of pictures, models and sampling.</param>
public sealed record MultimodalSettings(
    PortraitWorldOptions World,
    int GenerationImages,
    int UnderstandingImages,
    double UnanswerableShare,
    double GroupCaptionShare,
    int ClassifierImages,
    int ClassifierSteps,
    VqConfig Tokenizer,
    int TokenizerSteps,
    GptConfig Model,
    int ModelSteps,
    int SamplesPerPrompt,
    int LocateSamples,
    int FineTuneSteps,
    int PreferenceSteps,
    double PreferenceBeta,
    double AutoregressiveWeight,
    int Seed)
{
    /// <summary>The <c>fairscope demo multimodal</c> size: minutes on two cores.</summary>
    public static MultimodalSettings Demo(int seed = 0) => new(new PortraitWorldOptions(), GenerationImages: 6000, UnderstandingImages: 3000,
        UnanswerableShare: 0.15, GroupCaptionShare: 0.5, ClassifierImages: 2304, ClassifierSteps: 800,
        new VqConfig(ImageSize: PortraitWorld.Size, Grid: 8, CodeDim: 32, CodebookSize: 256, HiddenWidth: 32), TokenizerSteps: 600,
        new GptConfig(VocabSize: 1, ContextLength: 112, Layers: 3, Heads: 4, Width: 128), ModelSteps: 1000, SamplesPerPrompt: 32, LocateSamples: 32,
        FineTuneSteps: 200, PreferenceSteps: 100, PreferenceBeta: 1, AutoregressiveWeight: 1, seed);

    /// <summary>A few seconds' worth, for tests: every stage runs, nothing is learnt well.</summary>
    public static MultimodalSettings Tiny(int seed = 0) => new(new PortraitWorldOptions(), GenerationImages: 96, UnderstandingImages: 48,
        UnanswerableShare: 0.15, GroupCaptionShare: 0.5, ClassifierImages: 192, ClassifierSteps: 10,
        new VqConfig(ImageSize: PortraitWorld.Size, Grid: 8, CodeDim: 8, CodebookSize: 32, HiddenWidth: 16), TokenizerSteps: 10,
        new GptConfig(VocabSize: 1, ContextLength: 112, Layers: 1, Heads: 2, Width: 16), ModelSteps: 10, SamplesPerPrompt: 4, LocateSamples: 2,
        FineTuneSteps: 4, PreferenceSteps: 3, PreferenceBeta: 1, AutoregressiveWeight: 1, seed);

    /// <summary>Throws <see cref="FairscopeException"/> naming the first invalid value.</summary>
    public MultimodalSettings Validate()
    {
        World.Validate();
        Tokenizer.Validate();
        if (Tokenizer.ImageSize != PortraitWorld.Size) throw new FairscopeException($"the image tokenizer must read {PortraitWorld.Size}-pixel portraits, not {Tokenizer.ImageSize}");
        foreach (var (name, value) in new[] { ("generation images", GenerationImages), ("understanding images", UnderstandingImages), ("classifier images", ClassifierImages),
                     ("classifier steps", ClassifierSteps), ("tokenizer steps", TokenizerSteps), ("model steps", ModelSteps), ("fine-tune steps", FineTuneSteps),
                     ("preference steps", PreferenceSteps), ("locate samples", LocateSamples) })
            if (value < 1) throw new FairscopeException($"{name} must be at least 1, not {value}");
        if (SamplesPerPrompt < 2) throw new FairscopeException($"samples per prompt must be at least 2, not {SamplesPerPrompt}");
        if (!(UnanswerableShare >= 0 && UnanswerableShare < 1)) throw new FairscopeException($"the unanswerable share must be in [0, 1), not {UnanswerableShare}");
        if (!(GroupCaptionShare >= 0 && GroupCaptionShare <= 1)) throw new FairscopeException($"the group caption share must be in [0, 1], not {GroupCaptionShare}");
        if (!(PreferenceBeta > 0) || !(AutoregressiveWeight >= 0)) throw new FairscopeException("BPO's β must be above 0 and α at least 0");
        return this;
    }
}
