namespace Fairscope;

/// <summary>
/// A GPT with its tokenizer, stored as one directory in the Hugging Face GPT-2 layout (config.json,
/// model.safetensors, vocab.json + merges.txt or tokenizer.json), so a GPT-2-family model a user has on disk loads
/// the same way as one Fairscope trained. Text in, text out; thread-safe by serialising inference (on a CPU the
/// math library already uses every core for one request).
/// </summary>
public sealed class LanguageModel : IDisposable
{
    private readonly Lock _gate = new();

    /// <summary>Bundles a model and a tokenizer of the same vocabulary size.</summary>
    public LanguageModel(Gpt model, TextTokenizer tokenizer, string origin)
    {
        // Equal sizes: a model with spare ids (a padded vocabulary) could sample an id the tokenizer cannot decode.
        if (tokenizer.VocabularySize != model.Config.VocabSize)
            throw new FairscopeException($"{origin}: the tokenizer has {tokenizer.VocabularySize} tokens but the model's vocabulary is {model.Config.VocabSize}; they must match");
        (Model, Tokenizer, Origin) = (model, tokenizer, origin);
    }

    /// <summary>The transformer.</summary>
    public Gpt Model { get; }

    /// <summary>Its tokenizer.</summary>
    public TextTokenizer Tokenizer { get; }

    /// <summary>The directory it came from, for messages.</summary>
    public string Origin { get; }

    /// <summary>Loads a model directory.</summary>
    public static LanguageModel Load(string directory)
    {
        if (!Directory.Exists(directory)) throw new FairscopeException($"model directory {directory} does not exist");
        return new LanguageModel(GptCheckpoint.Load(directory), TextTokenizer.Load(directory), directory);
    }

    /// <summary>Writes the model and tokenizer into <paramref name="directory"/>.</summary>
    public void Save(string directory, long step = 0, long? seed = null)
    {
        GptCheckpoint.Save(Model, directory, step, seed);
        Tokenizer.Save(directory);
    }

    /// <summary>Continues <paramref name="prompt"/> (see <see cref="Gpt.Generate"/>, which keeps the last context-length
    /// tokens of a long prompt), stopping at end of text; says whether it got there or ran out of tokens.</summary>
    public (string Text, bool EndOfText) Complete(string prompt, int maxTokens, float temperature, long seed, int topK = 0, float topP = 1) =>
        CompleteBatch(prompt, [seed], maxTokens, temperature, topK, topP)[0];

    /// <summary>Continues <paramref name="prompt"/> once per seed in one batch (see <see cref="Gpt.GenerateBatch"/>):
    /// completion i is <see cref="Complete"/>'s with <paramref name="seeds"/>[i], up to float rounding.</summary>
    public (string Text, bool EndOfText)[] CompleteBatch(string prompt, IReadOnlyList<long> seeds, int maxTokens, float temperature,
        int topK = 0, float topP = 1)
    {
        var ids = Tokenizer.Encode(prompt);
        if (ids.Length == 0 && Tokenizer.EndOfTextId is { } start) ids = [start]; // condition an empty prompt on the document start
        if (ids.Length == 0) throw new FairscopeException($"{Origin}: an empty prompt needs a tokenizer with an end-of-text token");
        int[][] generated;
        lock (_gate) generated = Model.GenerateBatch(ids, seeds, maxTokens, temperature, topK, topP, Tokenizer.EndOfTextId);
        return [.. generated.Select(tokens => (Tokenizer.Decode(tokens, skipSpecialTokens: true), tokens.Length > 0 && tokens[^1] == Tokenizer.EndOfTextId))];
    }

    /// <summary>
    /// Continues the token ids <paramref name="context"/> as <see cref="Complete"/> does (top-k off), then scores the new
    /// tokens with the model (teacher forcing, one more forward pass), all under one lock so concurrent callers do not
    /// interleave. The end-of-text token that stops generation is left out of the returned tokens and scores. The
    /// context and <paramref name="maxTokens"/> must fit the context length together, so every new token is scored
    /// with all the tokens generation saw.
    /// </summary>
    public ModelContinuation Continue(IReadOnlyList<int> context, int maxTokens, float temperature, float topP, long seed, int topLogProbabilities)
    {
        if (context.Count == 0 || context.Count + maxTokens > Model.Config.ContextLength + 1)
            throw new FairscopeException($"{Origin}: {context.Count} context tokens and {maxTokens} new ones do not fit the context length {Model.Config.ContextLength}");
        lock (_gate)
        {
            var produced = Model.Generate(context, maxTokens, temperature, 0, topP, seed, Tokenizer.EndOfTextId);
            bool ended = produced.Length > 0 && produced[^1] == Tokenizer.EndOfTextId;
            var tokens = ended ? produced[..^1] : produced;
            var (perToken, top) = Model.LogProbabilities(context, tokens, topLogProbabilities);
            return new ModelContinuation(tokens, ended, perToken, top);
        }
    }

    /// <summary>Exact log-probability (natural log) of <paramref name="continuation"/> after <paramref name="prefix"/>.</summary>
    public double LogProbability(string prefix, string continuation)
    {
        lock (_gate) return Model.LogProbabilities(Tokenizer.Encode(prefix), Tokenizer.Encode(continuation)).Total;
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}

/// <summary>New tokens from <see cref="LanguageModel.Continue"/>: <paramref name="EndOfText"/> when generation stopped at
/// the end-of-text token (not among <paramref name="Tokens"/>); <paramref name="LogProbabilities"/> holds each token's
/// exact log-probability and <paramref name="Top"/> the most likely tokens at each position.</summary>
public sealed record ModelContinuation(int[] Tokens, bool EndOfText, double[] LogProbabilities, (int Token, double LogProbability)[][] Top);
