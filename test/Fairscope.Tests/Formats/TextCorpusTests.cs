namespace Fairscope.Tests;

public sealed class TextCorpusTests
{
    [Fact]
    public void ReadsAFieldOfJsonLinesAndACsvColumn()
    {
        using var temp = new TempFolder();
        Assert.Equal(["a", "b"], TextCorpus.Read(temp.File("x.jsonl", "{\"body\":\"a\",\"id\":1}\n\n{\"body\":\"b\"}\n"), "body"));
        Assert.Equal(["a, with comma", "b"], TextCorpus.Read(temp.File("x.csv", "id,body\n1,\"a, with comma\"\n2,b\n"), "body"));
    }

    [Fact]
    public void ErrorsNameTheFileAndLine()
    {
        using var temp = new TempFolder();
        var jsonl = temp.File("x.jsonl", "{\"text\":\"a\"}\n{\"body\":\"b\"}\n");
        Assert.Equal($"{jsonl}:2: no string field 'text'; name the text field with --field", Assert.Throws<FairscopeException>(() => TextCorpus.Read(jsonl, "text")).Message);
        var broken = temp.File("y.jsonl", "{\"text\":\"a\"}\n{oops\n");
        Assert.StartsWith($"{broken}:2: not valid JSON", Assert.Throws<FairscopeException>(() => TextCorpus.Read(broken, "text")).Message);
        var csv = temp.File("x.csv", "id,body\n1,a\n");
        Assert.StartsWith($"{csv}:1: no column 'text'", Assert.Throws<FairscopeException>(() => TextCorpus.Read(csv, "text")).Message);
    }
}
