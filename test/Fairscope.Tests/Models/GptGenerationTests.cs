namespace Fairscope.Tests;

/// <summary><see cref="Gpt.Generate"/> and <see cref="Gpt.GenerateBatch"/>: the key/value cache changes nothing, sampling
/// is reproducible per seed, a batch row is what one generation with its seed gives, the sampling knobs do what they
/// say, and bad arguments are clear errors.</summary>
public sealed class GptGenerationTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly NaiveGpt _naive = new(vocab: 11, context: 8, layers: 2, heads: 2, width: 8, seed: 4);

    public void Dispose() => _folder.Dispose();

    private Gpt Peaked() => GptCheckpoint.Load(_naive.Write(_folder.Sub("tiny")));

    // GPT-2's initialisation (weights ~ N(0, 0.02)) gives nearly uniform next-token distributions.
    private static Gpt Flat() => new(new GptConfig(VocabSize: 11, ContextLength: 8, Layers: 2, Heads: 2, Width: 16), seed: 1);

    [Fact]
    public void Greedy_generation_with_and_without_the_cache_agree_past_the_context_length()
    {
        using var model = Peaked();
        int[] prompt = [3, 1, 4];

        var cached = model.Generate(prompt, maxNewTokens: 20, temperature: 0);
        var uncached = model.Generate(prompt, maxNewTokens: 20, temperature: 0, useCache: false);

        Assert.Equal(20, cached.Length);
        Assert.Equal(uncached, cached);
        // The first token is the naive model's argmax.
        var logits = _naive.Logits(prompt)[^1];
        Assert.Equal(Array.IndexOf(logits, logits.Max()), cached[0]);
    }

    [Fact]
    public void Same_seed_gives_the_same_sample_and_other_seeds_differ()
    {
        using var model = Flat();

        var first = model.Generate([1, 2], maxNewTokens: 30, temperature: 1, seed: 42);
        var again = model.Generate([1, 2], maxNewTokens: 30, temperature: 1, seed: 42);
        var uncached = model.Generate([1, 2], maxNewTokens: 30, temperature: 1, seed: 42, useCache: false);
        var other = model.Generate([1, 2], maxNewTokens: 30, temperature: 1, seed: 43);

        Assert.Equal(first, again);
        Assert.Equal(first, uncached);
        Assert.NotEqual(first, other);
        Assert.True(first.Distinct().Count() > 3, $"a flat distribution should give varied tokens: {string.Join(" ", first)}");
    }

    [Fact]
    public void Top_k_of_one_and_a_tiny_top_p_are_greedy()
    {
        using var model = Peaked();
        var greedy = model.Generate([5], maxNewTokens: 10, temperature: 0);

        Assert.Equal(greedy, model.Generate([5], maxNewTokens: 10, temperature: 2, topK: 1, seed: 3));
        Assert.Equal(greedy, model.Generate([5], maxNewTokens: 10, temperature: 2, topP: 1e-6f, seed: 3));
    }

    [Fact]
    public void Top_k_keeps_sampling_among_the_k_most_likely_tokens()
    {
        using var model = Peaked();
        var logits = _naive.Logits([6])[0];
        var topTwo = logits.Select((l, i) => (l, i)).OrderByDescending(p => p.l).Take(2).Select(p => p.i).ToHashSet();

        var firsts = Enumerable.Range(0, 40).Select(seed => model.Generate([6], maxNewTokens: 1, temperature: 5, topK: 2, seed: seed)[0]).ToList();

        Assert.All(firsts, token => Assert.Contains(token, topTwo));
        Assert.Equal(2, firsts.Distinct().Count());
    }

    [Fact]
    public void Generation_stops_after_the_stop_token()
    {
        using var model = Peaked();
        var greedy = model.Generate([3, 1, 4], maxNewTokens: 6, temperature: 0);

        var stopped = model.Generate([3, 1, 4], maxNewTokens: 6, temperature: 0, stopToken: greedy[1]);

        Assert.Equal(greedy[..(Array.IndexOf(greedy, greedy[1]) + 1)], stopped);
        Assert.Empty(model.Generate([3], maxNewTokens: 0));
    }

    [Theory]
    [InlineData(-0.5f, 0, 1f, "temperature must be a finite number ≥ 0")]
    [InlineData(float.NaN, 0, 1f, "temperature must be a finite number ≥ 0")]
    [InlineData(1f, -1, 1f, "topK must be ≥ 0")]
    [InlineData(1f, 0, 0f, "topP must be in (0, 1]")]
    [InlineData(1f, 0, 1.5f, "topP must be in (0, 1]")]
    public void Out_of_range_sampling_parameters_are_clear_errors(float temperature, int topK, float topP, string expected)
    {
        using var model = Flat();

        var e = Assert.Throws<FairscopeException>(() => model.Generate([1], 3, temperature, topK, topP));

        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Tokens_outside_the_vocabulary_and_empty_prompts_are_clear_errors()
    {
        using var model = Flat();

        Assert.Contains("prompt token 11 (at 1) is outside the vocabulary [0, 11)", Assert.Throws<FairscopeException>(() => model.Generate([1, 11], 3)).Message);
        Assert.Contains("stopToken token -1", Assert.Throws<FairscopeException>(() => model.Generate([1], 3, stopToken: -1)).Message);
        Assert.Contains("prompt must hold at least one token", Assert.Throws<FairscopeException>(() => model.Generate([], 3)).Message);
        Assert.Contains("maxNewTokens must be at least 0", Assert.Throws<FairscopeException>(() => model.Generate([1], -1)).Message);
        Assert.Contains("need 9 positions; the context length is 8", Assert.Throws<FairscopeException>(() => model.LogProbabilities([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])).Message);
        Assert.Contains("prefix must hold at least one token", Assert.Throws<FairscopeException>(() => model.LogProbabilities([], [1])).Message);
    }

    [Fact]
    public void Greedy_batch_rows_equal_greedy_generation_past_the_context_length()
    {
        using var model = Peaked();
        int[] prompt = [3, 1, 4];
        var greedy = model.Generate(prompt, maxNewTokens: 20, temperature: 0);

        var rows = model.GenerateBatch(prompt, seeds: [0, 5, 9], maxNewTokens: 20, temperature: 0);

        Assert.Equal(3, rows.Length);
        Assert.All(rows, row => Assert.Equal(greedy, row));
    }

    [Theory]
    [InlineData(1f, 0, 1f)]
    [InlineData(1.5f, 4, 1f)]
    [InlineData(1f, 0, 0.7f)]
    public void Each_batch_row_is_the_sample_its_seed_gives_alone(float temperature, int topK, float topP)
    {
        using var model = Flat();
        long[] seeds = [42, 7, 1000];

        var rows = model.GenerateBatch([1, 2], seeds, maxNewTokens: 30, temperature, topK, topP);

        Assert.Equal(rows, model.GenerateBatch([1, 2], seeds, maxNewTokens: 30, temperature, topK, topP));
        for (int r = 0; r < seeds.Length; r++)
        {
            Assert.Equal(model.Generate([1, 2], maxNewTokens: 30, temperature, topK, topP, seeds[r]), rows[r]);
            Assert.Equal(rows[r], model.GenerateBatch([1, 2], [seeds[r]], maxNewTokens: 30, temperature, topK, topP)[0]);
        }
        Assert.Equal(3, rows.Select(row => string.Join(" ", row)).Distinct().Count());
    }

    [Fact]
    public void Batch_rows_stop_after_the_stop_token_and_the_others_go_on()
    {
        using var model = Flat();
        long[] seeds = [.. Enumerable.Range(0, 16).Select(s => (long)s)];
        const int Stop = 3;
        var unstopped = model.GenerateBatch([1, 2], seeds, maxNewTokens: 12);

        var rows = model.GenerateBatch([1, 2], seeds, maxNewTokens: 12, stopToken: Stop);

        for (int r = 0; r < seeds.Length; r++)
        {
            int stop = Array.IndexOf(unstopped[r], Stop);
            Assert.Equal(stop < 0 ? unstopped[r] : unstopped[r][..(stop + 1)], rows[r]);
        }
        Assert.Contains(rows, row => row.Length < 12 && row[^1] == Stop);
        Assert.Contains(rows, row => row.Length == 12);
    }

    [Fact]
    public void Batch_arguments_are_checked_like_generate()
    {
        using var model = Flat();

        Assert.Contains("seeds must hold at least one seed", Assert.Throws<FairscopeException>(() => model.GenerateBatch([1], [], 3)).Message);
        Assert.Contains("prompt must hold at least one token", Assert.Throws<FairscopeException>(() => model.GenerateBatch([], [1], 3)).Message);
        Assert.Contains("prompt token 11 (at 0)", Assert.Throws<FairscopeException>(() => model.GenerateBatch([11], [1], 3)).Message);
        Assert.Contains("maxNewTokens must be at least 0", Assert.Throws<FairscopeException>(() => model.GenerateBatch([1], [1], -1)).Message);
        Assert.Contains("temperature must be a finite number ≥ 0", Assert.Throws<FairscopeException>(() => model.GenerateBatch([1], [1], 3, float.PositiveInfinity)).Message);
        Assert.Contains("topK must be ≥ 0", Assert.Throws<FairscopeException>(() => model.GenerateBatch([1], [1], 3, topK: -2)).Message);
        Assert.Contains("topP must be in (0, 1]", Assert.Throws<FairscopeException>(() => model.GenerateBatch([1], [1], 3, topP: 0)).Message);
        Assert.Contains("stopToken token 12", Assert.Throws<FairscopeException>(() => model.GenerateBatch([1], [1], 3, stopToken: 12)).Message);
        Assert.Equal(new int[][] { [], [] }, model.GenerateBatch([1], [1, 2], maxNewTokens: 0));
    }
}
