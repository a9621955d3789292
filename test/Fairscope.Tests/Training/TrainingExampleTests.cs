using Fairscope.Tests.Tokenizers;

namespace Fairscope.Tests;

/// <summary><see cref="TrainingExample.WeightsForSpans"/>: per-token weights from weighted character spans.</summary>
public sealed class TrainingExampleTests
{
    [Fact]
    public void A_token_sharing_a_character_with_a_span_takes_its_weight_and_the_smallest_of_several()
    {
        // Tokens "The| nurse| said| that| she| would" of "The nurse said that she would".
        (int, int)[] tokens = [(0, 3), (3, 6), (9, 5), (14, 5), (19, 4), (23, 6)];

        // "she" (20, 3) lies inside token 4; a span ending where a token starts, (14, 5) vs " she", does not touch it.
        Assert.Equal([1, 1, 1, 1, 0, 1], TrainingExample.WeightsForSpans(tokens, [(20, 3, 0f)]));
        Assert.Equal([1, 1, 1, 0.5f, 1, 1], TrainingExample.WeightsForSpans(tokens, [(14, 5, 0.5f)]));
        // "d that s" (13, 8) touches tokens 2, 3 and 4; "nurse" (4, 5) token 1; where two overlap the smaller wins.
        Assert.Equal([1, 2, 0.25f, 0.25f, 0.25f, 1], TrainingExample.WeightsForSpans(tokens, [(4, 5, 2f), (13, 8, 0.25f), (15, 2, 3f)]));
        Assert.Equal([1, 1, 1, 1, 1, 1], TrainingExample.WeightsForSpans(tokens, []));
    }

    [Fact]
    public void Masks_a_word_found_in_the_text_through_the_tokenizers_offsets()
    {
        var tokenizer = new TextTokenizer(TokenizerTestData.Trained);
        const string text = "The nurse said that she would";
        var (ids, offsets) = tokenizer.EncodeWithOffsets(text);

        var weights = TrainingExample.WeightsForSpans(offsets, [(text.IndexOf("she", StringComparison.Ordinal), 3, 0f)]);

        int she = Array.FindIndex(offsets, o => text.Substring(o.Start, o.Length) == " she");
        Assert.Equal(Enumerable.Range(0, ids.Length).Select(i => i == she ? 0f : 1f), weights);
        Assert.Null(Record.Exception(() => new TrainingExample(ids, weights).Validate(0, tokenizer.VocabularySize)));
    }

    [Theory]
    [InlineData(-1, 2, 1f)]
    [InlineData(0, 0, 1f)]
    [InlineData(0, 2, -1f)]
    [InlineData(0, 2, float.NaN)]
    [InlineData(0, 2, float.PositiveInfinity)]
    public void Bad_spans_are_rejected(int start, int length, float weight)
    {
        var error = Assert.Throws<FairscopeException>(() => TrainingExample.WeightsForSpans([(0, 3)], [(start, length, weight)]));
        Assert.Contains("weighted span", error.Message);
    }
}
