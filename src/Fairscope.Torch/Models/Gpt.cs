using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Fairscope;

// A GPT-2 style decoder-only transformer in one file, after nanoGPT's model.py (itself after OpenAI's GPT-2 and
// Hugging Face's modeling_gpt2.py). Building blocks come first, each before its use: the per-layer key/value cache,
// causal self-attention, the MLP, a pre-LayerNorm block, then the model with forward, loss, exact log-probabilities of
// a continuation and sampling. Module fields carry GPT-2's names, so the parameter names are Hugging Face's own
// (GptCheckpoint maps them to disk). Shapes: B batch, T time, C channels (width), V vocabulary, nh heads, hs head size.

/// <summary>Keys and values one attention layer has already computed while generating, so each new token attends to
/// them without recomputing them. The cache owns its tensors (outside any dispose scope).</summary>
internal sealed class KeyValueCache : IDisposable
{
    private Tensor? _keys, _values; // (B, nh, T_past, hs)

    /// <summary>Positions cached so far.</summary>
    public long Length => _keys?.shape[2] ?? 0;

    /// <summary>Appends the new positions' keys and values (B, nh, T, hs) and returns all of them (B, nh, T_past + T, hs).</summary>
    public (Tensor Keys, Tensor Values) Append(Tensor keys, Tensor values)
    {
        var allKeys = _keys is null ? keys.clone() : cat([_keys, keys], 2);
        var allValues = _values is null ? values.clone() : cat([_values, values], 2);
        Clear();
        _keys = allKeys.DetachFromDisposeScope();
        _values = allValues.DetachFromDisposeScope();
        return (_keys, _values);
    }

    /// <summary>Forgets every cached position.</summary>
    public void Clear()
    {
        _keys?.Dispose();
        _values?.Dispose();
        _keys = _values = null;
    }

    public void Dispose() => Clear();
}

/// <summary>Multi-head causal self-attention: each position attends to itself and the positions before it.</summary>
internal sealed class CausalSelfAttention : Module<Tensor, Tensor>
{
    private readonly Linear c_attn; // query, key and value projections for all heads in one matrix
    private readonly Linear c_proj; // output projection
    private readonly Dropout resid_dropout;
    private readonly long _heads;
    private readonly double _dropout;

    public CausalSelfAttention(GptConfig config) : base(nameof(CausalSelfAttention))
    {
        c_attn = Linear(config.Width, 3 * config.Width, hasBias: config.Bias);
        c_proj = Linear(config.Width, config.Width, hasBias: config.Bias);
        resid_dropout = Dropout(config.Dropout);
        _heads = config.Heads;
        _dropout = config.Dropout;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => forward(x, null);

    public Tensor forward(Tensor x, KeyValueCache? cache)
    {
        var (B, T, C) = (x.shape[0], x.shape[1], x.shape[2]);
        // (B, T, 3C) -> q, k, v each (B, T, C) -> (B, T, nh, hs) -> (B, nh, T, hs)
        var qkv = c_attn.forward(x).split(C, 2);
        Tensor Heads(Tensor t) => t.view(B, T, _heads, C / _heads).transpose(1, 2);
        var (q, k, v) = (Heads(qkv[0]), Heads(qkv[1]), Heads(qkv[2]));
        if (cache is not null) (k, v) = cache.Append(k, v); // (B, nh, T_past + T, hs)
        long past = k.shape[2] - T;
        // (B, nh, T, hs). With nothing cached the causal mask is the plain lower triangle; with T_past cached positions,
        // query i (absolute position T_past + i) may see keys 0 .. T_past + i, a triangle shifted right by T_past.
        var y = past == 0
            ? F.scaled_dot_product_attention(q, k, v, p: training ? _dropout : 0, is_casual: true)
            : F.scaled_dot_product_attention(q, k, v, attn_mask: ones(T, past + T, ScalarType.Bool, x.device).tril(past));
        y = y.transpose(1, 2).contiguous().view(B, T, C); // re-assemble all heads side by side: (B, T, C)
        return resid_dropout.forward(c_proj.forward(y));
    }
}

/// <summary>The position-wise feed-forward network: widen 4×, GELU (tanh approximation, as GPT-2), project back.</summary>
internal sealed class Mlp : Module<Tensor, Tensor>
{
    private readonly Linear c_fc, c_proj;
    private readonly Dropout dropout;

    public Mlp(GptConfig config) : base(nameof(Mlp))
    {
        c_fc = Linear(config.Width, 4 * config.Width, hasBias: config.Bias);
        c_proj = Linear(4 * config.Width, config.Width, hasBias: config.Bias);
        dropout = Dropout(config.Dropout);
        RegisterComponents();
    }

    // (B, T, C) -> (B, T, 4C) -> (B, T, C)
    public override Tensor forward(Tensor x) =>
        dropout.forward(c_proj.forward(F.gelu(c_fc.forward(x), TorchSharp.Modules.GELU.Approximate.tanh)));
}

/// <summary>One transformer block: attention then MLP, each on a layer-normed copy of the residual stream (pre-LN).</summary>
internal sealed class Block : Module<Tensor, Tensor>
{
    private readonly LayerNorm ln_1, ln_2;
    private readonly CausalSelfAttention attn;
    private readonly Mlp mlp;

    public Block(GptConfig config) : base(nameof(Block))
    {
        ln_1 = LayerNorm(config.Width, GptConfig.LayerNormEpsilon, bias: config.Bias);
        attn = new CausalSelfAttention(config);
        ln_2 = LayerNorm(config.Width, GptConfig.LayerNormEpsilon, bias: config.Bias);
        mlp = new Mlp(config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => forward(x, null);

    public Tensor forward(Tensor x, KeyValueCache? cache)
    {
        x = x + attn.forward(ln_1.forward(x), cache); // (B, T, C)
        return x + mlp.forward(ln_2.forward(x));
    }
}

/// <summary>
/// A GPT-2 style language model: token and learned position embeddings, <see cref="GptConfig.Layers"/> pre-LN blocks,
/// a final LayerNorm and an output head tied to the token embedding. <see cref="Module{T, TResult}.forward"/> maps
/// token ids (B, T) to next-token logits (B, T, V). Save and load it with <see cref="GptCheckpoint"/>.
/// </summary>
public sealed class Gpt : Module<Tensor, Tensor>
{
    /// <summary>A target equal to this is left out of <see cref="Loss"/> (nanoGPT's convention).</summary>
    public const long IgnoreIndex = -1;

    private readonly Embedding wte, wpe; // token and position embeddings
    private readonly Dropout drop;
    private readonly ModuleList<Block> h;
    private readonly LayerNorm ln_f;

    /// <summary>Creates a model with GPT-2's initialisation, drawn from <paramref name="seed"/>: weights N(0, 0.02),
    /// residual projections N(0, 0.02/√(2·layers)), biases 0, layer-norm gains 1.</summary>
    public Gpt(GptConfig config, long seed = 0) : base(nameof(Gpt))
    {
        Config = config.Validate();
        wte = Embedding(config.VocabSize, config.Width);
        wpe = Embedding(config.ContextLength, config.Width);
        drop = Dropout(config.Dropout);
        h = ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new Block(config)).ToArray());
        ln_f = LayerNorm(config.Width, GptConfig.LayerNormEpsilon, bias: config.Bias);
        RegisterComponents();

        using var generator = new Generator((ulong)seed);
        using var _ = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (parameter.dim() == 2) // GPT-2 scales the projections into the residual stream by the number of them
                parameter.normal_(0, name.EndsWith("c_proj.weight") ? 0.02 / Math.Sqrt(2 * config.Layers) : 0.02, generator);
            else if (name.EndsWith(".bias"))
                parameter.zero_();
        }
    }

    /// <summary>The model's shape.</summary>
    public GptConfig Config { get; }

    /// <summary>The number of parameters (the tied output head counted once).</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Next-token logits (B, T, V) for token ids <paramref name="idx"/> (B, T), T ≤ the context length.</summary>
    public override Tensor forward(Tensor idx) => Forward(idx, null, lastPositionOnly: false);

    // With lastPositionOnly the head runs on the last position alone: generation needs nothing else, and the full
    // (B, T, V) logits of a batch fed a whole context window would be large (64 rows × 1,024 positions × 50,257 tokens
    // of GPT-2 take 13 GB).
    private Tensor Forward(Tensor idx, KeyValueCache[]? caches, bool lastPositionOnly)
    {
        long T = idx.shape[1], past = caches?[0].Length ?? 0;
        if (past + T > Config.ContextLength)
            throw new FairscopeException($"GPT: {past + T} positions exceed the context length {Config.ContextLength}");
        var positions = arange(past, past + T, ScalarType.Int64, idx.device); // (T)
        var x = drop.forward(wte.forward(idx) + wpe.forward(positions)); // (B, T, C) + (T, C)
        for (int i = 0; i < h.Count; i++) x = h[i].forward(x, caches?[i]);
        if (lastPositionOnly) x = x[TensorIndex.Colon, TensorIndex.Slice(-1)]; // (B, 1, C)
        return F.linear(ln_f.forward(x), wte.weight!); // (B, T, V): the head shares the token embedding's weights
    }

    /// <summary>Mean cross-entropy of <paramref name="logits"/> (B, T, V) against <paramref name="targets"/> (B, T),
    /// weighting each token's loss by <paramref name="weights"/> (B, T) when given: <c>(1/N) Σ wᵢ·lossᵢ</c> over the N tokens
    /// whose target is not <see cref="IgnoreIndex"/> and whose weight is above 0 (0 when none remain). Weights are
    /// absolute, as in anti-stereotype loss rescaling's <c>(1/N) Σ exp(−Skew_i)·L_i</c>: a batch of down-weighted
    /// examples moves the model less; a weight of 0 masks a token out.</summary>
    public static Tensor Loss(Tensor logits, Tensor targets, Tensor? weights = null)
    {
        if (logits.dim() != 3 || !targets.shape.SequenceEqual(logits.shape[..2]))
            throw new ArgumentException($"logits must be (B, T, V) and targets (B, T); got [{string.Join(", ", logits.shape)}] and [{string.Join(", ", targets.shape)}]");
        if (weights is not null && !weights.shape.SequenceEqual(targets.shape))
            throw new ArgumentException($"weights must match targets (B, T); got [{string.Join(", ", weights.shape)}] and [{string.Join(", ", targets.shape)}]");
        var flatTargets = targets.reshape(-1); // (B*T)
        var losses = F.cross_entropy(logits.reshape(-1, logits.shape[2]), flatTargets, ignore_index: IgnoreIndex, reduction: Reduction.None);
        var kept = flatTargets.ne(IgnoreIndex).to(losses.dtype);
        var w = weights is null ? kept : weights.reshape(-1).to(losses.dtype) * kept;
        return (losses * w).sum() / w.gt(0).sum().to(losses.dtype).clamp_min(1);
    }

    /// <summary>The exact log-probability of each token of <paramref name="continuation"/> given
    /// <paramref name="prefix"/> and the continuation tokens before it (teacher forcing), and their sum. The prefix
    /// must be non-empty and both together must fit the context (one position fewer: the last token is only predicted).</summary>
    public (double[] PerToken, double Total) LogProbabilities(IReadOnlyList<int> prefix, IReadOnlyList<int> continuation)
    {
        var (perToken, _) = LogProbabilities(prefix, continuation, top: 0);
        return (perToken, perToken.Sum());
    }

    /// <summary>As <see cref="LogProbabilities(IReadOnlyList{int}, IReadOnlyList{int})"/>, and for each continuation
    /// position also the <paramref name="top"/> most likely tokens there with their log-probabilities (most likely
    /// first), taken from the same log-softmax: what an OpenAI-style server reports as top log-probabilities.</summary>
    public (double[] PerToken, (int Token, double LogProbability)[][] Top) LogProbabilities(IReadOnlyList<int> prefix,
        IReadOnlyList<int> continuation, int top)
    {
        if (top < 0) throw new FairscopeException($"GPT: top must be ≥ 0, got {top}");
        top = (int)Math.Min(top, Config.VocabSize);
        CheckTokens(prefix, "prefix");
        CheckTokens(continuation, "continuation");
        if (prefix.Count == 0) throw new FairscopeException("GPT: the prefix must hold at least one token to condition on");
        if (continuation.Count == 0) return ([], []);
        int length = prefix.Count + continuation.Count - 1;
        if (length > Config.ContextLength)
            throw new FairscopeException($"GPT: prefix ({prefix.Count}) and continuation ({continuation.Count}) need {length} positions; the context length is {Config.ContextLength}");
        return Infer(() =>
        {
            using var scope = NewDisposeScope();
            var device = wte.weight!.device;
            var input = Ids([prefix.Concat(continuation.Take(continuation.Count - 1))], device); // (1, L)
            var logits = forward(input)[0, TensorIndex.Slice(prefix.Count - 1)]; // (N, V): position i predicts token i + 1
            var targets = Ids([continuation], device).view(-1, 1); // (N, 1)
            var logProbs = logits.to(ScalarType.Float64).log_softmax(-1); // (N, V)
            var perToken = logProbs.gather(1, targets).view(-1).cpu().data<double>().ToArray(); // (N)
            var best = new (int, double)[continuation.Count][];
            if (top == 0)
            {
                for (int i = 0; i < best.Length; i++) best[i] = [];
                return (perToken, best);
            }
            var (values, indices) = logProbs.topk(top, dim: 1); // (N, top), descending
            var topValues = values.cpu().data<double>().ToArray();
            var topIndices = indices.cpu().data<long>().ToArray();
            for (int i = 0; i < best.Length; i++)
                best[i] = Enumerable.Range(i * top, top).Select(j => ((int)topIndices[j], topValues[j])).ToArray();
            return (perToken, best);
        });
    }

    /// <summary>The exact log-probability (natural log) of each row's continuation after its prefix, from one batched
    /// forward pass without gradients: scoring candidates, such as a text under each label of a classification.</summary>
    public double[] ScoreContinuations(IReadOnlyList<(IReadOnlyList<int> Prefix, IReadOnlyList<int> Continuation)> rows)
    {
        foreach (var (prefix, continuation) in rows)
        {
            CheckTokens(prefix, "prefix");
            CheckTokens(continuation, "continuation");
            if (prefix.Count == 0) throw new FairscopeException("GPT: every prefix must hold at least one token to condition on");
        }
        if (rows.Count == 0) return [];
        return Infer(() =>
        {
            using var scope = NewDisposeScope();
            return SequenceLogProbabilities(rows).cpu().data<double>().ToArray();
        });
    }

    /// <summary>
    /// The summed log-probability (float64, with gradients when enabled) of each row's continuation given its prefix,
    /// (rows): one forward pass over the rows, right-padded to the longest, so padding comes last and causal attention
    /// keeps it from the real positions. An empty continuation scores 0. Tokens are not checked: callers validate them.
    /// </summary>
    public Tensor SequenceLogProbabilities(IReadOnlyList<(IReadOnlyList<int> Prefix, IReadOnlyList<int> Continuation)> rows)
    {
        int length = rows.Max(r => r.Prefix.Count + Math.Max(r.Continuation.Count, 1) - 1);
        if (length > Config.ContextLength)
            throw new FairscopeException($"GPT: a prefix and continuation need {length} positions; the context length is {Config.ContextLength}");
        var input = new long[rows.Count * length];
        var targets = new long[rows.Count * length];
        Array.Fill(targets, IgnoreIndex); // padding inputs are token 0: any valid id, ignored as targets
        for (int row = 0; row < rows.Count; row++)
        {
            var (prefix, continuation) = rows[row];
            int offset = row * length;
            for (int t = 0; t < prefix.Count; t++) input[offset + t] = prefix[t];
            for (int k = 0; k < continuation.Count; k++)
            {
                // Position P − 1 + k predicts continuation token k; the last continuation token is only predicted.
                targets[offset + prefix.Count - 1 + k] = continuation[k];
                if (k < continuation.Count - 1) input[offset + prefix.Count + k] = continuation[k];
            }
        }
        var device = wte.weight!.device;
        var logits = forward(tensor(input, [rows.Count, length], ScalarType.Int64, device)); // (rows, length, V)
        var losses = F.cross_entropy(logits.to(ScalarType.Float64).reshape(-1, logits.shape[2]), tensor(targets, ScalarType.Int64, device),
            ignore_index: IgnoreIndex, reduction: Reduction.None); // 0 where ignored
        return -losses.view(rows.Count, length).sum(dim: 1);
    }

    /// <summary>
    /// Continues <paramref name="prompt"/> by up to <paramref name="maxNewTokens"/> tokens and returns the new ones,
    /// ending early after <paramref name="stopToken"/>. Temperature 0 is greedy; otherwise logits are divided by the
    /// temperature, cut to the <paramref name="topK"/> most likely tokens (0: all) and to the smallest set whose
    /// probability reaches <paramref name="topP"/>, then sampled with a generator seeded by <paramref name="seed"/>, so
    /// equal arguments give equal tokens. Past the context length the model sees the last context-length tokens, as
    /// nanoGPT does. With <paramref name="useCache"/> each layer keeps its keys and values, and a step feeds one token.
    /// </summary>
    public int[] Generate(IReadOnlyList<int> prompt, int maxNewTokens, float temperature = 1, int topK = 0, float topP = 1,
        long seed = 0, int? stopToken = null, bool useCache = true) =>
        GenerateRows(prompt, [seed], maxNewTokens, temperature, topK, topP, stopToken, useCache, allowed: null)[0];

    /// <summary>
    /// Continues <paramref name="prompt"/> once per seed in one batch, each row as <see cref="Generate"/> would with
    /// that seed: row r samples with its own generator seeded by <paramref name="seeds"/>[r], so its tokens depend on
    /// its seed alone (up to the float rounding of batched matrix products), not on the other rows. A row ends after
    /// its <paramref name="stopToken"/> (included); generation ends when every row has ended or produced
    /// <paramref name="maxNewTokens"/>. With <paramref name="allowed"/> only tokens of that id range are drawn (a unified
    /// multimodal model drawing an image draws image tokens only). On a CPU a batch of tens of rows of a small model
    /// costs little more than one row, since a step's cost is mostly fixed overhead.
    /// </summary>
    public int[][] GenerateBatch(IReadOnlyList<int> prompt, IReadOnlyList<long> seeds, int maxNewTokens, float temperature = 1,
        int topK = 0, float topP = 1, int? stopToken = null, (int Start, int Count)? allowed = null) =>
        GenerateRows(prompt, seeds, maxNewTokens, temperature, topK, topP, stopToken, useCache: true, allowed);

    // One row per seed. Every row has the same length at every step (a finished row is still fed its draws, which are
    // ignored), so all rows share the sliding window and the cache's positions.
    private int[][] GenerateRows(IReadOnlyList<int> prompt, IReadOnlyList<long> seeds, int maxNewTokens, float temperature, int topK,
        float topP, int? stopToken, bool useCache, (int Start, int Count)? allowed)
    {
        CheckTokens(prompt, "prompt");
        if (prompt.Count == 0) throw new FairscopeException("GPT: the prompt must hold at least one token");
        if (seeds.Count == 0) throw new FairscopeException("GPT: seeds must hold at least one seed (one per row)");
        if (maxNewTokens < 0) throw new FairscopeException($"GPT: maxNewTokens must be at least 0, got {maxNewTokens}");
        if (!(temperature >= 0) || float.IsInfinity(temperature)) throw new FairscopeException($"GPT: temperature must be a finite number ≥ 0, got {temperature}");
        if (topK < 0) throw new FairscopeException($"GPT: topK must be ≥ 0 (0 keeps all tokens), got {topK}");
        if (!(topP > 0 && topP <= 1)) throw new FairscopeException($"GPT: topP must be in (0, 1], got {topP}");
        if (stopToken is { } stop) CheckTokens([stop], "stopToken");
        if (allowed is { } range && (range.Count < 1 || range.Start < 0 || range.Start + range.Count > Config.VocabSize))
            throw new FairscopeException($"GPT: the allowed token range [{range.Start}, {range.Start + range.Count}) must be non-empty and inside the vocabulary [0, {Config.VocabSize})");
        return Infer(() =>
        {
            var device = wte.weight!.device;
            var generators = seeds.Select(seed => new Generator((ulong)seed, device)).ToArray();
            var caches = useCache ? Enumerable.Range(0, Config.Layers).Select(_ => new KeyValueCache()).ToArray() : null;
            using var blocked = allowed is { } range ? Outside(range, device) : null; // (V): tokens never drawn
            try
            {
                var tokens = seeds.Select(_ => prompt.ToList()).ToArray(); // per row: the prompt and everything fed after it
                var produced = seeds.Select(_ => new List<int>()).ToArray();
                var finished = new bool[seeds.Count];
                for (int step = 0; step < maxNewTokens && finished.Contains(false); step++)
                {
                    using var scope = NewDisposeScope();
                    // While the cache holds every token but the newest (and there is room), feed just that one; else
                    // (first step, no cache, past the context) start over from the last ContextLength tokens.
                    bool append = caches is not null && caches[0].Length > 0 && caches[0].Length < Config.ContextLength;
                    if (!append) foreach (var cache in caches ?? []) cache.Clear();
                    int length = tokens[0].Count, fed = append ? 1 : Math.Min(length, Config.ContextLength);
                    var input = Ids(tokens.Select(row => row.Skip(length - fed)).ToList(), device); // (B, fed)
                    var logits = Forward(input, caches, lastPositionOnly: true)[TensorIndex.Colon, -1]; // (B, V)
                    if (blocked is not null) logits = logits.masked_fill(blocked, float.NegativeInfinity);
                    var next = Sample(logits, temperature, topK, topP, generators);
                    for (int r = 0; r < next.Length; r++)
                    {
                        tokens[r].Add(next[r]);
                        if (finished[r]) continue;
                        produced[r].Add(next[r]);
                        finished[r] = next[r] == stopToken;
                    }
                }
                return produced.Select(row => row.ToArray()).ToArray();
            }
            finally
            {
                foreach (var cache in caches ?? []) cache.Dispose();
                foreach (var generator in generators) generator.Dispose();
            }
        });
    }

    // A (V) mask of the ids outside [Start, Start + Count), made once per generation.
    private Tensor Outside((int Start, int Count) range, Device device)
    {
        using var scope = NewDisposeScope();
        var ids = arange(Config.VocabSize, ScalarType.Int64, device);
        return ids.lt(range.Start).logical_or(ids.ge(range.Start + range.Count)).MoveToOuterDisposeScope();
    }

    // Picks one token per row from next-token logits (B, V); row r draws with generators[r].
    private static int[] Sample(Tensor logits, float temperature, int topK, float topP, Generator[] generators)
    {
        if (temperature == 0) return [.. logits.argmax(-1).cpu().data<long>().Select(t => (int)t)];
        logits = logits / temperature;
        if (topK > 0 && topK < logits.shape[1])
        {
            var (top, _) = logits.topk(topK, dim: 1); // (B, topK), descending
            logits = logits.masked_fill(logits.lt(top[TensorIndex.Colon, TensorIndex.Slice(-1)]), float.NegativeInfinity);
        }
        var probs = logits.softmax(-1);
        if (topP < 1)
        {
            // Nucleus: drop every token after the most likely ones whose probabilities already sum to topP.
            var (sorted, order) = probs.sort(dim: 1, descending: true);
            var dropped = (sorted.cumsum(1) - sorted).gt(topP); // never the first token
            probs = zeros_like(probs).scatter(1, order, sorted.masked_fill(dropped, 0));
        }
        var draws = generators.Select((generator, r) => probs[r].multinomial(1, generator: generator)).ToArray();
        return [.. cat(draws).cpu().data<long>().Select(t => (int)t)];
    }

    // Runs inference code without gradients and in evaluation mode (no dropout), restoring the mode afterwards.
    private TResult Infer<TResult>(Func<TResult> body)
    {
        bool wasTraining = training;
        eval();
        try
        {
            using var _ = no_grad();
            return body();
        }
        finally
        {
            train(wasTraining);
        }
    }

    private void CheckTokens(IReadOnlyList<int> tokens, string what)
    {
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] < 0 || tokens[i] >= Config.VocabSize)
                throw new FairscopeException($"GPT: {what} token {tokens[i]} (at {i}) is outside the vocabulary [0, {Config.VocabSize})");
        }
    }

    // Token ids (B, T), one row per sequence; every row must hold T tokens.
    private static Tensor Ids(IReadOnlyList<IEnumerable<int>> rows, Device device) =>
        tensor(rows.SelectMany(row => row).Select(t => (long)t).ToArray(), ScalarType.Int64, device).view(rows.Count, -1);
}
