using static TorchSharp.torch;

namespace Fairscope;

/// <summary>
/// A unified multimodal model in the manner of VILA-U, Janus or Show-o, small enough for a CPU: a discrete image
/// tokenizer (<see cref="VqAutoencoder"/>) and one decoder-only transformer (<see cref="Gpt"/>) over a single vocabulary
/// of words, markers and image codes (<see cref="MultimodalVocabulary"/>). The same weights generate and understand:
/// <list type="bullet">
/// <item>generation: <c>&lt;bos&gt; caption &lt;img&gt; code₁ … code_N &lt;/img&gt;</c>; the codes are sampled (image tokens
/// only) and decoded to pixels;</item>
/// <item>understanding: <c>&lt;bos&gt; &lt;img&gt; code₁ … code_N &lt;/img&gt; question answer &lt;eos&gt;</c>; the answer is
/// sampled after the question (text tokens only).</item>
/// </list>
/// Inference is serialised (one call at a time), so the audit engine may call it from several tasks.
/// </summary>
public sealed class UnifiedModel : IDisposable
{
    /// <summary>Subdirectories and file of a saved model.</summary>
    public const string LanguageFolder = "language", TokenizerFolder = "tokenizer", VocabularyFile = "vocabulary.json";

    /// <summary>Where a laboratory-trained model keeps the attribute classifier of its world (the audit's annotator for it).</summary>
    public const string ClassifierFolder = "classifier";

    private readonly Lock _inference = new();

    public UnifiedModel(Gpt language, VqAutoencoder tokenizer, MultimodalVocabulary vocabulary)
    {
        if (language.Config.VocabSize != vocabulary.Size)
            throw new FairscopeException($"the language model has {language.Config.VocabSize} tokens but the vocabulary {vocabulary.Size}");
        if (tokenizer.Config.CodebookSize != vocabulary.Codebook)
            throw new FairscopeException($"the image tokenizer has {tokenizer.Config.CodebookSize} codes but the vocabulary {vocabulary.Codebook}");
        (Language, Tokenizer, Vocabulary) = (language, tokenizer, vocabulary);
    }

    public Gpt Language { get; }
    public VqAutoencoder Tokenizer { get; }
    public MultimodalVocabulary Vocabulary { get; }

    /// <summary>Image tokens per image.</summary>
    public int CodesPerImage => Tokenizer.Config.CodesPerImage;

    /// <summary>Image side in pixels: images of another size are resized to it before tokenizing.</summary>
    public int ImageSize => Tokenizer.Config.ImageSize;

    /// <summary>What generation continues: <c>&lt;bos&gt; caption &lt;img&gt;</c>.</summary>
    public int[] GenerationPrefix(string caption) =>
        [Vocabulary[MultimodalVocabulary.Begin], .. Vocabulary.Encode(caption), Vocabulary[MultimodalVocabulary.ImageStart]];

    /// <summary>The image tokens of codes.</summary>
    public int[] ImageTokens(IReadOnlyList<int> codes) => [.. codes.Select(Vocabulary.ImageToken)];

    /// <summary>A caption → image example: every token weighs 1.</summary>
    public TrainingExample GenerationExample(string caption, IReadOnlyList<int> codes) =>
        new([.. GenerationPrefix(caption), .. ImageTokens(codes), Vocabulary[MultimodalVocabulary.ImageEnd]]);

    /// <summary>An image + question → answer example: only the answer and its end marker weigh (1), so it trains
    /// understanding and nothing else.</summary>
    public TrainingExample UnderstandingExample(IReadOnlyList<int> codes, string question, string answer)
    {
        var prefix = UnderstandingPrefix(codes, question);
        int[] tail = [.. Vocabulary.Encode(answer), Vocabulary[MultimodalVocabulary.End]];
        return new([.. prefix, .. tail], [.. Enumerable.Repeat(0f, prefix.Length), .. Enumerable.Repeat(1f, tail.Length)]);
    }

    private int[] UnderstandingPrefix(IReadOnlyList<int> codes, string question) =>
        [Vocabulary[MultimodalVocabulary.Begin], Vocabulary[MultimodalVocabulary.ImageStart], .. ImageTokens(codes),
            Vocabulary[MultimodalVocabulary.ImageEnd], .. Vocabulary.Encode(question)];

    /// <summary>Image codes for <paramref name="caption"/>, one image per seed, drawn as rows of one batch (each row with
    /// its own generator, see <see cref="Gpt.GenerateBatch"/>), from image tokens only.</summary>
    public int[][] DrawCodes(string caption, IReadOnlyList<long> seeds, float temperature = 1)
    {
        lock (_inference)
        {
            var rows = Language.GenerateBatch(GenerationPrefix(caption), seeds, CodesPerImage, temperature,
                allowed: (Vocabulary.FirstImageToken, Vocabulary.Codebook));
            return [.. rows.Select(row => row.Select(t => t - Vocabulary.FirstImageToken).ToArray())];
        }
    }

    /// <summary>Images for <paramref name="caption"/>, one per seed.</summary>
    public RgbImage[] Draw(string caption, IReadOnlyList<long> seeds, float temperature = 1) => Decode(DrawCodes(caption, seeds, temperature));

    /// <summary>Pixels of image codes.</summary>
    public RgbImage[] Decode(IReadOnlyList<int[]> codes)
    {
        lock (_inference)
        {
            using var scope = NewDisposeScope();
            return ImageTensors.ToImages(Tokenizer.Decode(codes.Select(c => (IReadOnlyList<int>)c).ToList()));
        }
    }

    /// <summary>The image codes of images of any size (resized to <see cref="ImageSize"/>).</summary>
    public int[][] Encode(IReadOnlyList<RgbImage> images)
    {
        lock (_inference)
        {
            using var scope = NewDisposeScope();
            return Tokenizer.EncodeIds(ImageTensors.FromImages([.. images.Select(i => ImageDecoder.Resize(i, ImageSize, ImageSize))]));
        }
    }

    /// <summary>The model's answer to <paramref name="question"/> about <paramref name="image"/>: at most
    /// <paramref name="maxWords"/> words, sampled from the words and the end marker only (the vocabulary keeps them
    /// contiguous), until the end marker (temperature 0: greedy).</summary>
    public string Answer(RgbImage image, string question, long seed, float temperature, int maxWords = 4)
    {
        var prefix = UnderstandingPrefix(Encode([image])[0], question);
        int end = Vocabulary[MultimodalVocabulary.End];
        lock (_inference)
        {
            var answer = Language.GenerateBatch(prefix, [seed], maxWords + 1, temperature, stopToken: end,
                allowed: (end, Vocabulary.FirstImageToken - end))[0];
            return Vocabulary.Decode(answer);
        }
    }

    /// <summary>
    /// The model's expected image-code histogram for <paramref name="caption"/> over a fixed set of reference pictures,
    /// computed exactly: each reference's code sequence is teacher-forced after the caption, its exact log-probability
    /// (summed over all image positions) gives its weight <c>p(ref | caption) / Σ p(ref' | caption)</c>, and the result is
    /// the weighted mean of the references' code histograms. It is the exact counterpart, on the references' support, of
    /// the U-MLLM paper's histogram of sampled codes (arXiv 2502.03429): a balanced reference set shared by every caption
    /// makes captions comparable, and no sampling noise enters.
    /// </summary>
    public double[] CodeDistribution(string caption, IReadOnlyList<int[]> references)
    {
        if (references.Count == 0) throw new FairscopeException("the code distribution needs at least one reference image");
        var prefix = GenerationPrefix(caption);
        double[] logProbabilities;
        lock (_inference)
            logProbabilities = Language.ScoreContinuations([.. references.Select(r => ((IReadOnlyList<int>)prefix, (IReadOnlyList<int>)ImageTokens(r)))]);
        double max = logProbabilities.Max();
        var weights = logProbabilities.Select(l => Math.Exp(l - max)).ToArray();
        double total = weights.Sum();
        var distribution = new double[Vocabulary.Codebook];
        for (int r = 0; r < references.Count; r++)
            foreach (var code in references[r]) distribution[code] += weights[r] / total / references[r].Length;
        return distribution;
    }

    /// <summary>Writes the model to <paramref name="directory"/>: language model, tokenizer and vocabulary.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        GptCheckpoint.Save(Language, Path.Combine(directory, LanguageFolder));
        Tokenizer.Save(Path.Combine(directory, TokenizerFolder));
        Vocabulary.Save(Path.Combine(directory, VocabularyFile));
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    public static UnifiedModel Load(string directory)
    {
        if (!File.Exists(Path.Combine(directory, VocabularyFile)))
            throw new FairscopeException($"{directory} is not a built-in unified model (no {VocabularyFile}); use builtin:umllm or a directory written by fairscope demo multimodal");
        return new UnifiedModel(GptCheckpoint.Load(Path.Combine(directory, LanguageFolder)), VqAutoencoder.Load(Path.Combine(directory, TokenizerFolder)),
            MultimodalVocabulary.Load(Path.Combine(directory, VocabularyFile)));
    }

    public void Dispose()
    {
        Language.Dispose();
        Tokenizer.Dispose();
    }
}
