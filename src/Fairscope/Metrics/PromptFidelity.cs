using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>
/// Prompt fidelity of generated images by CLIPScore (Hessel et al. 2021, "CLIPScore: A Reference-free Evaluation
/// Metric for Image Captioning", EMNLP): how well each image matches its prompt in a joint text–image embedding space,
/// so that a mitigation can show it reduced bias without drifting away from what was asked. The embedders are any
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> pair that maps text and images into one space (a CLIP model's
/// text and image towers, served behind an API or run locally).
/// </summary>
public static class PromptFidelity
{
    /// <summary>Hessel et al.'s w, which stretches CLIP's typical cosines to about [0, 1].</summary>
    public const double ClipScoreWeight = 2.5;

    /// <summary>Images embedded per request.</summary>
    public const int ImageBatch = 16;

    /// <summary>
    /// CLIPScore(c, v) = <c>w · max(cos(E_text(c), E_image(v)), 0)</c> (Hessel et al. 2021), with w = 2.5 by default;
    /// 0 when the embeddings are orthogonal or point apart, w when they point the same way. torchmetrics' CLIPScore,
    /// whose scale papers report (e.g. "CLIP score 28.2" in arXiv 2502.03429), is the same with w = 100. NaN when a
    /// vector is zero (no direction).
    /// </summary>
    public static double ClipScore(ReadOnlySpan<float> text, ReadOnlySpan<float> image, double weight = ClipScoreWeight)
    {
        if (text.Length != image.Length)
            throw new ArgumentException($"the text embedding has {text.Length} dimensions but the image embedding {image.Length}; CLIPScore needs one joint space");
        double dot = 0, tt = 0, ii = 0;
        for (var k = 0; k < text.Length; k++)
        {
            dot += (double)text[k] * image[k];
            tt += (double)text[k] * text[k];
            ii += (double)image[k] * image[k];
        }
        return tt == 0 || ii == 0 ? double.NaN : weight * Math.Max(dot / Math.Sqrt(tt * ii), 0);
    }

    /// <summary>
    /// CLIPScore of every successful image sample against its prompt's text: per prompt, the mean with a bootstrap
    /// interval that resamples the prompt's images; overall, the mean over prompts with its interval and the
    /// least faithful prompt (as the bias metrics aggregate). Each prompt text and each distinct image (images are
    /// content-addressed, so a repeated image is one file) is embedded once, images <see cref="ImageBatch"/> per request.
    /// Prompts without an image have no value and are left out of the mean. Pass the run's samples (those within its
    /// samples per prompt) and the suite's prompts.
    /// </summary>
    public static async Task<PromptFidelityResult> ComputeAsync(IReadOnlyList<SampleRecord> samples, IReadOnlyList<SuitePrompt> prompts,
        IEmbeddingGenerator<string, Embedding<float>> textEmbedder, IEmbeddingGenerator<DataContent, Embedding<float>> imageEmbedder,
        ImageStore images, Bootstrap bootstrap, CancellationToken cancellationToken = default)
    {
        var index = prompts.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var references = prompts.Select(_ => new List<string>()).ToArray();
        foreach (var s in samples.Where(s => s.Ok && index.ContainsKey(s.PromptId)))
            references[index[s.PromptId]].Add(ImageStore.IsReference(s.Output) ? s.Output!
                : throw new FairscopeException($"CLIPScore needs image outputs, but {s.PromptId} sample {s.SampleIndex} is text"));

        var withImages = Enumerable.Range(0, prompts.Count).Where(p => references[p].Count > 0).ToList();
        var texts = await EmbedAsync(textEmbedder, withImages.Select(p => prompts[p].Text).ToList(), "text", cancellationToken);
        var textOf = withImages.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => texts[x.i]);
        var imageOf = new Dictionary<string, float[]>();
        foreach (var batch in references.SelectMany(r => r).Distinct().Chunk(ImageBatch))
        {
            var contents = batch.Select(r =>
            {
                var bytes = images.Read(r);
                return new DataContent(bytes, ImageDecoder.MediaTypeOf(bytes) ?? throw new FairscopeException($"{images.PathOf(r)}: the stored file is not an image"));
            }).ToList();
            var vectors = await EmbedAsync(imageEmbedder, contents, "image", cancellationToken);
            for (var i = 0; i < batch.Length; i++) imageOf[batch[i]] = vectors[i];
        }

        var scores = Enumerable.Range(0, prompts.Count).Select(p => references[p].Select(r =>
        {
            var (text, image) = (textOf[p], imageOf[r]);
            return text.Length == image.Length ? ClipScore(text, image)
                : throw new FairscopeException($"the text embedder gives {text.Length} dimensions but the image embedder {image.Length}: CLIPScore needs one model's text and image embeddings");
        }).ToArray()).ToArray();
        var point = scores.Select(s => s.Length == 0 ? double.NaN : s.Average()).ToArray();
        var replicates = bootstrap.Replicates(random => scores.Select(s => Sampling.ResampledMean(random, s)).ToArray());
        var perPrompt = prompts.Select((prompt, p) => new PromptClipScore(prompt.Id, scores[p].Length,
            bootstrap.Estimate(point[p], replicates.Select(r => r[p]).ToArray()))).ToList();
        var overall = AuditAnalyzer.Aggregate(bootstrap, higherIsBetter: true, prompts.Select(p => p.Id).ToList(), p => point[p],
            replicates.Select(r => (Func<int, double>)(p => r[p])));
        return new PromptFidelityResult(overall, perPrompt, scores.Sum(s => s.Length));
    }

    // One request for all inputs; every embedding must come back, with a direction (finite, not all zero).
    private static async Task<float[][]> EmbedAsync<T>(IEmbeddingGenerator<T, Embedding<float>> embedder, IReadOnlyList<T> inputs, string what,
        CancellationToken cancellationToken)
    {
        if (inputs.Count == 0) return [];
        var embeddings = await embedder.GenerateAsync(inputs, cancellationToken: cancellationToken);
        if (embeddings.Count != inputs.Count)
            throw new FairscopeException($"the {what} embedder returned {embeddings.Count} embeddings for {inputs.Count} inputs");
        var vectors = embeddings.Select(e => e.Vector.ToArray()).ToArray();
        if (vectors.Any(v => v.Length == 0 || !v.All(float.IsFinite) || v.All(x => x == 0)))
            throw new FairscopeException($"the {what} embedder returned an empty, zero or non-finite embedding; cosine similarity needs a direction");
        return vectors;
    }
}

/// <summary>Prompt fidelity of a run's images by CLIPScore (w = 2.5).</summary>
/// <param name="ClipScore">Mean over prompts with an image, its interval, and the least faithful prompt (<c>worst</c>: the lowest).</param>
/// <param name="Prompts">Every prompt, in suite order.</param>
/// <param name="Images">Image samples scored.</param>
public sealed record PromptFidelityResult(AggregateEstimate ClipScore, IReadOnlyList<PromptClipScore> Prompts, int Images);

/// <summary>One prompt's mean CLIPScore over its images, with the interval from resampling them; null without images.</summary>
public sealed record PromptClipScore(string PromptId, int Images, Estimate ClipScore);
