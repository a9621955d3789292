
namespace Fairscope.Tests;

/// <summary><see cref="ReplaySampleGenerator"/>: JSONL and CSV replay files, and their error messages.</summary>
public sealed class ReplaySampleGeneratorTests : IDisposable
{
    private static readonly Suite Suite = SuiteLoader.Parse("""
        name: replay
        attributes:
          gender: {categories: [female, male]}
        prompts:
          - {id: p1, text: First}
          - {id: p2, text: Second}
        """, "replay.yaml");

    private readonly string _folder = Directory.CreateTempSubdirectory("fairscope-replay-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<string> Output(ReplaySampleGenerator generator, string promptId, int index)
    {
        var sample = await generator.GenerateAsync(new SampleRequest(Suite.Prompts.Single(p => p.Id == promptId), index, 0), CancellationToken.None);
        Assert.Equal("replay", sample.FinishReason);
        Assert.Equal(1, sample.Attempts);
        return sample.Output;
    }

    private FairscopeException LoadError(string name, string content)
    {
        var path = Write(name, content);
        return Assert.Throws<FairscopeException>(() => ReplaySampleGenerator.Load(path, Suite));
    }

    // ---------------------------------------------------------------- JSONL

    [Fact]
    public async Task Jsonl_loads_with_and_without_sample_index()
    {
        var path = Write("out.jsonl", """
            {"prompt_id": "p1", "output": "first p1"}
            {"prompt_id": "p2", "output": "only p2", "sample_index": 0}

            {"prompt_id": "p1", "output": "second p1"}
            {"prompt_id": "p1", "output": "fifth p1", "sample_index": 5}
            {"prompt_id": "p1", "output": "null index p1", "sample_index": null}
            """);
        using var generator = ReplaySampleGenerator.Load(path, Suite);
        // without sample_index a prompt's outputs are numbered in file order: 0, 1, then 5 explicitly, then 3 (count)
        Assert.Equal("first p1", await Output(generator, "p1", 0));
        Assert.Equal("second p1", await Output(generator, "p1", 1));
        Assert.Equal("fifth p1", await Output(generator, "p1", 5));
        Assert.Equal("null index p1", await Output(generator, "p1", 3));
        Assert.Equal("only p2", await Output(generator, "p2", 0));
        // p1's highest sample index is 5, so a run needs 6 samples per prompt to replay all of it
        Assert.Equal(6, generator.MaxSamplesPerPrompt);
    }

    [Fact]
    public async Task Missing_output_is_an_error_at_generation()
    {
        var path = Write("few.jsonl", "{\"prompt_id\": \"p1\", \"output\": \"a\"}\n");
        using var generator = ReplaySampleGenerator.Load(path, Suite);
        var e = await Assert.ThrowsAsync<InvalidDataException>(async () => await Output(generator, "p1", 1));
        Assert.Contains("prompt 'p1' sample 1", e.Message);
        await Assert.ThrowsAsync<InvalidDataException>(async () => await Output(generator, "p2", 0));
    }

    [Fact]
    public void Malformed_json_names_the_line()
    {
        var e = LoadError("bad.jsonl", """
            {"prompt_id": "p1", "output": "ok"}
            {"prompt_id": "p1", "output": "ok"}
            {"prompt_id": "p1", "output": "unterminated}
            """);
        Assert.Contains("bad.jsonl:3:", e.Message);
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void Line_numbers_count_blank_lines()
    {
        // line 1 ok, line 2 blank, line 3 not an object
        var e = LoadError("blank.jsonl", "{\"prompt_id\": \"p1\", \"output\": \"ok\"}\n\n[1, 2]\n");
        Assert.Contains("blank.jsonl:3:", e.Message);
        Assert.Contains("must be a JSON object", e.Message);
    }

    [Fact]
    public void Unknown_prompt_id_names_the_line_and_the_id()
    {
        var e = LoadError("unknown.jsonl", "{\"prompt_id\": \"p1\", \"output\": \"ok\"}\n{\"prompt_id\": \"p9\", \"output\": \"?\"}\n");
        Assert.Contains("unknown.jsonl:2:", e.Message);
        Assert.Contains("prompt_id 'p9' is not in suite 'replay'", e.Message);
        Assert.Contains("'p1'", e.Message); // an example of a valid id
    }

    [Theory]
    [InlineData("{\"prompt_id\": \"p1\"}", "field 'output'")]
    [InlineData("{\"prompt_id\": \"p1\", \"output\": \"\"}", "field 'output'")]
    [InlineData("{\"output\": \"x\"}", "field 'prompt_id'")]
    [InlineData("{\"prompt_id\": 5, \"output\": \"x\"}", "field 'prompt_id'")]
    [InlineData("{\"prompt_id\": \"p1\", \"output\": \"x\", \"sample_index\": -1}", "sample_index must be a whole number")]
    [InlineData("{\"prompt_id\": \"p1\", \"output\": \"x\", \"sample_index\": 1.5}", "sample_index must be a whole number")]
    public void Bad_fields_name_the_line(string row, string message)
    {
        var e = LoadError("fields.jsonl", "{\"prompt_id\": \"p2\", \"output\": \"ok\"}\n" + row + "\n");
        Assert.Contains("fields.jsonl:2:", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Duplicate_sample_index_names_the_line()
    {
        var e = LoadError("dupe.jsonl", """
            {"prompt_id": "p1", "output": "a", "sample_index": 0}
            {"prompt_id": "p2", "output": "b", "sample_index": 0}
            {"prompt_id": "p1", "output": "c", "sample_index": 0}
            """);
        Assert.Contains("dupe.jsonl:3:", e.Message);
        Assert.Contains("prompt 'p1' already has an output with sample_index 0", e.Message);
    }

    [Fact]
    public void Empty_and_missing_files_are_errors()
    {
        Assert.Contains("holds no outputs", LoadError("empty.jsonl", "\n\n").Message);
        var missing = Path.Combine(_folder, "missing.jsonl");
        var e = Assert.Throws<FairscopeException>(() => ReplaySampleGenerator.Load(missing, Suite));
        Assert.Contains("does not exist", e.Message);
    }

    // ---------------------------------------------------------------- CSV

    [Fact]
    public async Task Csv_loads_quoted_fields_with_commas_quotes_and_newlines()
    {
        var path = Write("out.csv",
            "sample_index,prompt_id,output\n" +
            "0,p1,\"Hello, world\nsecond line\"\n" +
            "1,p1,\"She said \"\"hi\"\".\"\n" +
            ",p2,plain\r\n");
        using var generator = ReplaySampleGenerator.Load(path, Suite);
        Assert.Equal("Hello, world\nsecond line", await Output(generator, "p1", 0));
        Assert.Equal("She said \"hi\".", await Output(generator, "p1", 1));
        // empty sample_index → numbered in file order
        Assert.Equal("plain", await Output(generator, "p2", 0));
        Assert.Equal(2, generator.MaxSamplesPerPrompt);
    }

    [Fact]
    public void Csv_missing_column_names_line_one()
    {
        var e = LoadError("nocol.csv", "prompt_id,text\np1,hello\n");
        Assert.Contains("nocol.csv:1:", e.Message);
        Assert.Contains("lacks column 'output'", e.Message);
        Assert.Contains("has: prompt_id, text", e.Message);
    }

    [Fact]
    public void Csv_without_header_is_an_error()
    {
        var e = LoadError("empty.csv", "");
        Assert.Contains("empty.csv:1:", e.Message);
        Assert.Contains("header row", e.Message);
    }

    [Fact]
    public void Csv_errors_name_the_line_a_record_starts_on()
    {
        // line 1 header; lines 2–4 one record with a three-line output; line 5 an unknown prompt id
        var e = LoadError("lines.csv", "prompt_id,output\np1,\"one\ntwo\nthree\"\np7,x\n");
        Assert.Contains("lines.csv:5:", e.Message);
        Assert.Contains("'p7'", e.Message);
    }

    [Fact]
    public void Csv_duplicate_sample_index_names_the_line()
    {
        var e = LoadError("dupe.csv", "prompt_id,output,sample_index\np1,a,0\np1,b,1\np1,c,0\n");
        Assert.Contains("dupe.csv:4:", e.Message);
        Assert.Contains("sample_index 0", e.Message);
    }

    [Theory]
    [InlineData("p1,a,b,c", "4 fields where the header has 2")]
    [InlineData("p1,", "must not be empty")]
    public void Csv_bad_rows_name_the_line(string row, string message)
    {
        var e = LoadError("rows.csv", "prompt_id,output\np2,ok\n" + row + "\n");
        Assert.Contains("rows.csv:3:", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Csv_bad_sample_index_names_the_line()
    {
        var e = LoadError("index.csv", "prompt_id,output,sample_index\np1,a,-3\n");
        Assert.Contains("index.csv:2:", e.Message);
        Assert.Contains("sample_index '-3'", e.Message);
    }

    [Fact]
    public void Max_samples_per_prompt_is_the_largest_count()
    {
        var path = Write("max.csv", "prompt_id,output\np1,a\np2,b\np2,c\np2,d\np1,e\n");
        using var generator = ReplaySampleGenerator.Load(path, Suite);
        // p1: 2 outputs, p2: 3
        Assert.Equal(3, generator.MaxSamplesPerPrompt);
    }
}
