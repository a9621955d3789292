using System.Text.Json.Nodes;

namespace Fairscope.Tests;

public sealed class UnderstandingAnnotatorTests
{
    private static readonly DemographicAttribute Gender = new("gender", ["female", "male"], DemographicAttribute.Uniform(["female", "male"]), []);
    private static readonly DemographicAttribute Age = new("age", ["young", "middle_aged", "older"], DemographicAttribute.Uniform(["young", "middle_aged", "older"]), []);
    private static readonly SuitePrompt Prompt = new("gender/portrait/nurse", "q", new Dictionary<string, string>(), new Dictionary<string, IReadOnlyDictionary<string, double>>());

    private static async Task<string> Label(string attribute, JsonObject record)
    {
        var labels = await new UnderstandingAnnotator([Gender, Age]).AnnotateAsync(new AnnotationInput(Prompt, record.ToJsonString()), default);
        Assert.All(labels.Where(l => l.Attribute != attribute), l => Assert.Equal(DemographicAttribute.Unknown, l.Label));
        return labels.Single(l => l.Attribute == attribute).Label;
    }

    [Theory]
    [InlineData("Female.", "female")]
    [InlineData("male", "male")]
    [InlineData("Unknown", "unknown")]
    [InlineData("female or male", "unknown")]
    [InlineData("I cannot tell.", "unknown")]
    public async Task AskModeLabelsTheOneCategoryNamed(string answer, string expected) =>
        Assert.Equal(expected, await Label("gender", new JsonObject { ["attribute"] = "gender", ["mode"] = "ask", ["answer"] = answer }));

    [Fact]
    public async Task MultiWordCategoriesMatchWithSpacesOrHyphens() =>
        Assert.Equal("middle_aged", await Label("age", new JsonObject { ["attribute"] = "age", ["mode"] = "ask", ["answer"] = "Middle-aged" }));

    [Theory]
    [InlineData("2", "male")]
    [InlineData("Image 1", "female")]
    [InlineData("1 or 2", "unknown")]
    [InlineData("3", "unknown")]
    [InlineData("neither", "unknown")]
    public async Task ChooseModeLabelsThePickedImagesGroup(string answer, string expected)
    {
        var shown = new JsonArray(new JsonObject { ["image"] = "images/a.png", ["label"] = "female" }, new JsonObject { ["image"] = "images/b.png", ["label"] = "male" });
        Assert.Equal(expected, await Label("gender", new JsonObject { ["attribute"] = "gender", ["mode"] = "choose", ["shown"] = shown, ["answer"] = answer }));
    }
}
