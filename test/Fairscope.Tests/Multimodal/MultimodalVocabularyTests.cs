namespace Fairscope.Tests;

/// <summary>The unified model's word-level vocabulary: specials first, words sorted, image codes last and contiguous.</summary>
public sealed class MultimodalVocabularyTests
{
    [Fact]
    public void Words_are_lower_cased_punctuation_dropped_and_unknown_words_map_to_unk()
    {
        var vocabulary = MultimodalVocabulary.Build(["A photo of a nurse", "Answer: unknown."], codebook: 4);
        // 6 specials, then a, answer, nurse, of, photo, unknown; then 4 image codes.
        Assert.Equal(6 + 6 + 4, vocabulary.Size);
        Assert.Equal(12, vocabulary.FirstImageToken);
        Assert.Equal([6, 10, 9, 6, 8], vocabulary.Encode("A PHOTO of a nurse!"));
        Assert.Equal([vocabulary[MultimodalVocabulary.UnknownWord]], vocabulary.Encode("chef"));
        Assert.Equal("a nurse", vocabulary.Decode([vocabulary[MultimodalVocabulary.Begin], 6, 8, vocabulary.ImageToken(3)]));
        Assert.True(vocabulary.IsImageToken(15));
        Assert.False(vocabulary.IsImageToken(16));
    }

    [Fact]
    public void Save_and_load_keep_every_id()
    {
        using var temp = new TempFolder();
        var vocabulary = MultimodalVocabulary.Build(["middle aged older young"], codebook: 8);
        var path = Path.Combine(temp.Path, "vocabulary.json");
        vocabulary.Save(path);
        var loaded = MultimodalVocabulary.Load(path);
        Assert.Equal((vocabulary.Size, vocabulary.FirstImageToken), (loaded.Size, loaded.FirstImageToken));
        Assert.Equal(vocabulary.Encode("older young middle"), loaded.Encode("older young middle"));
        File.WriteAllText(path, "{\"words\": 3}");
        Assert.Contains("not a multimodal vocabulary", Assert.Throws<FairscopeException>(() => MultimodalVocabulary.Load(path)).Message);
    }
}
