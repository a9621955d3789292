namespace Fairscope.Tests;

/// <summary><see cref="GptConfig"/>: validation and Hugging Face GPT-2 <c>config.json</c> reading and writing.</summary>
public sealed class GptConfigTests
{
    private static string Json(string extra = "", string positions = "\"n_positions\": 64") =>
        $$"""{"model_type": "gpt2", "vocab_size": 50, {{positions}}, "n_layer": 3, "n_head": 4, "n_embd": 32{{extra}}}""";

    [Fact]
    public void Json_round_trips_in_gpt2_terms()
    {
        var config = new GptConfig(VocabSize: 50, ContextLength: 64, Layers: 3, Heads: 4, Width: 32, Dropout: 0.25f, Bias: false);

        var json = config.ToJson();

        Assert.Contains("\"model_type\": \"gpt2\"", json);
        Assert.Contains("\"n_positions\": 64", json);
        Assert.Contains("\"n_embd\": 32", json);
        Assert.Equal(config, GptConfig.FromJson(json, "config.json"));
        Assert.Equal(8, config.HeadSize);
    }

    [Fact]
    public void Hugging_face_config_reads_with_defaults_and_n_ctx_fallback()
    {
        Assert.Equal(new GptConfig(50, 64, 3, 4, 32), GptConfig.FromJson(Json(), "c"));
        Assert.Equal(new GptConfig(50, 16, 3, 4, 32), GptConfig.FromJson(Json(positions: "\"n_ctx\": 16"), "c"));
        Assert.Equal(new GptConfig(50, 64, 3, 4, 32, Dropout: 0.1f), GptConfig.FromJson(Json(", \"resid_pdrop\": 0.1, \"activation_function\": \"gelu_new\""), "c"));
    }

    [Theory]
    [InlineData("\"model_type\": \"gpt2\"", "\"model_type\": \"llama\"", "model_type 'llama' is not supported; the built-in GPT reads only 'gpt2'")]
    [InlineData("\"n_head\": 4", "\"n_head\": 5", "n_embd (32) must be divisible by n_head (5)")]
    [InlineData("\"n_layer\": 3", "\"n_layer\": 0", "n_layer must be at least 1, got 0")]
    [InlineData("\"vocab_size\": 50, ", "", "'vocab_size' is missing")]
    [InlineData("\"n_positions\": 64, ", "", "'n_positions' (or 'n_ctx') is missing")]
    [InlineData("\"n_embd\": 32", "\"n_embd\": 32.5", "'n_embd' must be an integer, got 32.5")]
    [InlineData("\"n_embd\": 32", "\"n_embd\": 32, \"activation_function\": \"relu\"", "activation_function 'relu' is not supported")]
    [InlineData("\"n_embd\": 32", "\"n_embd\": 32, \"tie_word_embeddings\": false", "tie_word_embeddings is false")]
    [InlineData("\"n_embd\": 32", "\"n_embd\": 32, \"layer_norm_epsilon\": 1e-6", "layer_norm_epsilon 1e-6 is not supported")]
    public void Bad_config_is_one_clear_error(string find, string replace, string expected)
    {
        var e = Assert.Throws<FairscopeException>(() => GptConfig.FromJson(Json().Replace(find, replace), "dir/config.json"));

        Assert.StartsWith("dir/config.json: invalid GPT config: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Not_json_and_invalid_records_are_clear_errors()
    {
        Assert.Contains("not valid JSON", Assert.Throws<FairscopeException>(() => GptConfig.FromJson("{", "c")).Message);
        Assert.Contains("not a JSON object", Assert.Throws<FairscopeException>(() => GptConfig.FromJson("[]", "c")).Message);
        Assert.Equal("invalid GPT config: n_embd (10) must be divisible by n_head (4)",
            Assert.Throws<FairscopeException>(() => new Gpt(new GptConfig(5, 4, 1, 4, 10))).Message);
        Assert.Contains("dropout must be in [0, 1)", Assert.Throws<FairscopeException>(() => new GptConfig(5, 4, 1, 1, 4, Dropout: 1).Validate()).Message);
    }
}
