namespace Fairscope;

/// <summary>What <c>fairscope demo multimodal</c> measured (results.json, snake_case; docs/multimodal.md).</summary>
/// <param name="Classifier">Held-out accuracy of the world's attribute classifier, per head.</param>
/// <param name="Tokenizer">Reconstruction error of the organism's image tokenizer per group, on held-out balanced portraits.</param>
/// <param name="Models">Each audited model: base, the tokenizer swap, the BPO stages and the understanding-only control.</param>
/// <param name="Locate">Where the bias lives.</param>
public sealed record MultimodalResult(int FormatVersion, MultimodalSettings Settings, IReadOnlyDictionary<string, Estimate> Classifier,
    TokenizerQuality Tokenizer, IReadOnlyList<ModelReport> Models, LocateReport Locate, IReadOnlyList<string> Findings, double WallSeconds)
{
    /// <summary>Bumped when a field changes meaning or disappears.</summary>
    public const int CurrentFormatVersion = 1;
}

/// <summary>An image tokenizer's reconstruction error (mean squared error per pixel channel, in [0, 1]²) overall and per
/// (attribute, group), and how many codes it uses.</summary>
public sealed record TokenizerQuality(double Mse, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> MseByGroup, int CodesUsed);

/// <summary>One audited model of the laboratory.</summary>
/// <param name="Name">base, swap (balanced tokenizer), sft (stage 1), bpo (stages 1 and 2) or understanding (the control).</param>
/// <param name="Description">What the model is, in a sentence.</param>
/// <param name="GenerationBias">Mean bias score (Shen et al. 2023) over occupation prompts with its bootstrap interval, per
/// attribute (gender, race, age, gender × race).</param>
/// <param name="Alignment">Generation vs understanding bias from the ask-mode probe (partial alignment).</param>
/// <param name="UnderstandingAccuracy">Greedy answers to held-out questions about balanced portraits, per question attribute.</param>
/// <param name="Recognisability">Share of generated images whose occupation the classifier reads as the prompt's.</param>
/// <param name="WorldDistance">Mean squared error from each generated image to the nearest rendered portrait of its occupation:
/// how far generations fall from pictures the world can show (renders themselves: 0).</param>
/// <param name="Report">The model's audit report folder, relative to the output folder.</param>
public sealed record ModelReport(string Name, string Description, IReadOnlyDictionary<string, AggregateEstimate> GenerationBias,
    IReadOnlyList<PartialAlignmentResult> Alignment, IReadOnlyDictionary<string, Estimate> UnderstandingAccuracy, Estimate Recognisability,
    double WorldDistance, string Report);

/// <summary>The locate-then-fix analyses.</summary>
/// <param name="Probe">Linear probes from the tokenizer's features to each attribute.</param>
/// <param name="Exact">The language model's image-code distributions computed exactly (teacher forcing).</param>
/// <param name="Sampled">The same from histograms of sampled codes (the paper's method).</param>
public sealed record LocateReport(IReadOnlyList<ProbeResult> Probe, TokenLocateResult Exact, TokenLocateResult Sampled);
