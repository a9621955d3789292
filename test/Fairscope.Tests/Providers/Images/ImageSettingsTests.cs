namespace Fairscope.Tests;

/// <summary><see cref="ImageSettings"/>: canonical JSON for the run's identity, sizes, and the options of one request.</summary>
public sealed class ImageSettingsTests
{
    [Fact]
    public void Json_is_snake_case_in_declaration_order_without_unset_fields()
    {
        Assert.Equal("""{"width":512,"height":512,"images_per_request":1,"negative_prompt":"text","steps":20,"cfg_scale":7.5}""",
            new ImageSettings(512, 512, NegativePrompt: "text", Steps: 20, CfgScale: 7.5).ToJson());
        Assert.Equal("""{"images_per_request":2,"quality":"hd","response_format":"url","send_seed":true}""",
            new ImageSettings(ImagesPerRequest: 2, Quality: "hd", ResponseFormat: ImageSettings.Url, SendSeed: true).ToJson());
    }

    [Theory]
    [InlineData("1024x768", 1024, 768)]
    [InlineData("512X512", 512, 512)]
    public void Sizes_parse(string text, int width, int height) => Assert.Equal((width, height), ImageSettings.ParseSize(text));

    [Theory]
    [InlineData("1024")]
    [InlineData("0x512")]
    [InlineData("-5x5")]
    [InlineData("auto")]
    [InlineData("99999x1")]
    public void Bad_sizes_say_what_is_expected(string text) =>
        Assert.Equal($"--size '{text}' must be WIDTHxHEIGHT in pixels, e.g. 1024x1024", Assert.Throws<FairscopeException>(() => ImageSettings.ParseSize(text)).Message);

    [Fact]
    public void Options_carry_count_size_format_and_seed()
    {
        var options = new ImageSettings(640, 480, ResponseFormat: ImageSettings.Base64).ToOptions(3, 42);

        Assert.Equal((3, new System.Drawing.Size(640, 480), Microsoft.Extensions.AI.ImageGenerationResponseFormat.Data), (options.Count, options.ImageSize, options.ResponseFormat));
        Assert.Equal(42L, options.AdditionalProperties![ImageSampleGenerator.SeedProperty]);
        Assert.Null(new ImageSettings().ToOptions(1, 0).ImageSize);
    }
}
