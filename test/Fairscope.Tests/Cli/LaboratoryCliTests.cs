namespace Fairscope.Tests;

[Collection(CliCollection.Name)]
public sealed class LaboratoryCliTests
{
    [Theory]
    [InlineData("mitigate --method magic", "unknown mitigation 'magic'")]
    [InlineData("inherit --ratios 0,abc", "--ratios: 'abc' is not a number")]
    [InlineData("inherit --ratios 0,1.5", "bias ratios must be between 0 and 1")]
    [InlineData("inherit --seeds 0", "seeds must be at least 1")]
    [InlineData("serve --model builtin:nope", "unknown built-in model 'nope'")]
    public async Task Bad_input_exits_2_with_one_line_naming_it(string arguments, string expected)
    {
        using var temp = new TempFolder();
        // The name of a built-in model is checked before anything is trained; the laboratory commands get an empty cache.
        string[] cache = arguments.StartsWith("serve") ? [] : ["--cache", temp.Sub("cache")];
        var (exit, errors) = await CliHarness.RunAsync([.. arguments.Split(' '), .. cache]);
        Assert.Equal(2, exit);
        Assert.Contains(expected, errors);
        Assert.Single(errors.Trim().Split('\n'), line => line.StartsWith("fairscope: error:"));
    }
}
