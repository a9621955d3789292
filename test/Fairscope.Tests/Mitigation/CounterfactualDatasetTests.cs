using System.Text.Json;
using System.Text.Json.Nodes;
using Parquet;
using Parquet.Schema;

namespace Fairscope.Tests;

[Collection(CliCollection.Name)]
public sealed class CounterfactualDatasetTests : IDisposable
{
    private static readonly CounterfactualAugmenter Augmenter = new(CounterfactualLexicon.Load([]), order: 2);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Jsonl(int rows) => string.Concat(Enumerable.Range(0, rows).Select(i => (i % 3) switch
    {
        0 => $"{{\"id\":\"r{i}\",\"text\":\"She is a nurse and her daughter is {20 + i % 50} years old.\",\"note\":\"kept\",\"occupation\":\"nurse\"}}\n",
        1 => $"{{\"id\":\"r{i}\",\"text\":\"The Muslim man prayed at the mosque.\",\"occupation\":\"nurse\"}}\n",
        _ => $"{{\"id\":\"r{i}\",\"text\":\"Nothing to see in row {i}.\"}}\n",
    }));

    [Fact]
    public void JsonlRowsAreFollowedByTheirVariantsWithProvenance()
    {
        var input = _temp.File("in.jsonl", Jsonl(3));
        var output = _temp.Sub("out.jsonl");
        var report = CounterfactualDataset.Run(new CounterfactualJob(input, output, ["text"], Augmenter) { IdField = "id", Seed = 1 });

        var rows = File.ReadAllLines(output).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(3 + report.Variants, rows.Count);
        Assert.Equal("She is a nurse and her daughter is 20 years old.", (string)rows[0]["text"]!);
        Assert.Equal(("r0", "", ""), ((string)rows[0]["cf_source_id"]!, (string)rows[0]["cf_concepts"]!, (string)rows[0]["cf_swap"]!));
        var male = rows.Single(r => (string)r["cf_swap"]! == "gender:female>male");
        Assert.Equal("He is a nurse and his son is 20 years old.", (string)male["text"]!);
        Assert.Equal(("r0", "kept"), ((string)male["cf_source_id"]!, (string)male["note"]!));
        Assert.Contains(rows, r => (string)r["cf_swap"]! == "gender:male>female;religion:muslim>hindu" && (string)r["text"]! == "The Hindu woman prayed at the temple.");
        Assert.Equal("{\"id\":\"r2\",\"text\":\"Nothing to see in row 2.\",\"cf_source_id\":\"r2\",\"cf_concepts\":\"\",\"cf_swap\":\"\"}", File.ReadAllLines(output)[^1]);
        Assert.Equal((3L, 2L, 0L), (report.Rows, report.RowsWithTerms, report.Malformed));
        Assert.False(File.Exists(output + ".partial"));
    }

    [Fact]
    public void CsvKeepsItsColumnsAndAddsTheProvenanceAndWeightColumns()
    {
        var input = _temp.File("in.csv", "id,occupation,text,answer\n1,nurse,\"She said, \"\"fine\"\".\",He agreed.\n2,nurse,\"multi\nline, no terms\",ok\n");
        var reference = _temp.File("ref.csv", "context,group,share\nnurse,female,0.8\nnurse,male,0.2\n");
        var output = _temp.Sub("out.csv");
        CounterfactualDataset.Run(new CounterfactualJob(input, output, ["text", "answer"], new CounterfactualAugmenter(CounterfactualLexicon.Load([])))
        {
            AntiStereotype = StereotypeReference.Load(reference),
            ContextField = "occupation",
        });
        using var reader = new StreamReader(output);
        var records = Csv.Read(reader, output).Select(r => r.Fields).ToList();
        Assert.Equal(["id", "occupation", "text", "answer", "cf_source_id", "cf_concepts", "cf_swap", "cf_weight"], records[0]);
        // The row mixes genders (she, he): each text takes the one target. Weights: (1/2)/0.8 and (1/2)/0.2.
        Assert.Equal(["1", "nurse", "She said, \"fine\".", "He agreed.", "1", "", "", "1"], records[1]);
        Assert.Equal(["1", "nurse", "She said, \"fine\".", "She agreed.", "1", "gender", "gender:female+male>female", "0.625"], records[2]);
        Assert.Equal(["1", "nurse", "He said, \"fine\".", "He agreed.", "1", "gender", "gender:female+male>male", "2.5"], records[3]);
        Assert.Equal(["2", "nurse", "multi\nline, no terms", "ok", "2", "", "", "1"], records[4]);
        Assert.Equal(5, records.Count);

        // A second pass over the output replaces the provenance columns instead of repeating them.
        var again = _temp.Sub("again.csv");
        CounterfactualDataset.Run(new CounterfactualJob(output, again, ["text"], new CounterfactualAugmenter(CounterfactualLexicon.Load([])))
        {
            AntiStereotype = StereotypeReference.Load(reference),
            ContextField = "occupation",
        });
        using var second = new StreamReader(again);
        Assert.Equal(["id", "occupation", "text", "answer", "cf_source_id", "cf_concepts", "cf_swap", "cf_weight"], Csv.Read(second, again).First().Fields);
    }

    [Fact]
    public void AnAuditRunGivesTheStereotypeDirectionPerSlotValueAndAttribute()
    {
        var run = Directory.CreateDirectory(_temp.Sub("run")).FullName;
        File.WriteAllText(Path.Combine(run, "results.json"), """
            {"result": {"run": {"name": "r"}, "attributes": [{"name": "gender", "components": []}, {"name": "race", "components": []},
              {"name": "gender_x_race", "components": ["gender", "race"]}], "prompts": [
              {"id": "p1", "slots": {"occupation": "nurse"}, "attributes": {
                "gender": {"counts": {"female": 8, "male": 1, "unknown": 5}},
                "race": {"counts": {"white": 2, "black": 2, "asian": 0, "hispanic": 0, "unknown": 0}},
                "gender_x_race": {"counts": {"female|white": 2}}}},
              {"id": "p2", "slots": {"occupation": "nurse"}, "attributes": {"gender": {"counts": {"female": 1, "male": 0, "unknown": 0}}}}
            ]}}
            """);
        var reference = StereotypeReference.Load(run);
        Assert.Equal(0.5 / 0.9, reference.Weight("Nurse", new Dictionary<string, string> { ["gender"] = "female" }), 12);
        Assert.Equal(0.5 / 0.1, reference.Weight("nurse", new Dictionary<string, string> { ["gender"] = "male", ["race"] = "asian" }), 12);
        Assert.Equal(0.25 / StereotypeReference.MinShare, reference.Weight("nurse", new Dictionary<string, string> { ["race"] = "asian" }), 12);
        Assert.Equal(1, reference.Weight("pilot", new Dictionary<string, string> { ["gender"] = "male" }));
        Assert.Equal(1, reference.Weight("nurse", new Dictionary<string, string> { ["religion"] = "jewish" }));

        File.WriteAllText(Path.Combine(run, "results.json"), "{\"result\": {}}");
        Assert.Contains("not a Fairscope results.json", Assert.Throws<FairscopeException>(() => StereotypeReference.Load(run)).Message);
    }

    [Fact]
    public void MalformedRowsAreCountedByLineOrStopAStrictRun()
    {
        var input = _temp.File("in.jsonl", "{\"text\":\"she\"}\nnot json\n\n[1]\n{\"text\":5}\n{\"text\":\"he\"}\n");
        var output = _temp.Sub("out.jsonl");
        var report = CounterfactualDataset.Run(new CounterfactualJob(input, output, ["text"], Augmenter));
        Assert.Equal((5L, 3L), (report.Rows, report.Malformed));
        Assert.Equal([$"{input}:2: not valid JSON", $"{input}:4: not a JSON object", $"{input}:5: field 'text' is missing or not text"],
            report.MalformedRows.Select(m => m.Split(" (")[0]));
        Assert.Equal(4, File.ReadAllLines(output).Length); // two rows, one variant each

        var strict = Assert.Throws<FairscopeException>(() => CounterfactualDataset.Run(new CounterfactualJob(input, _temp.Sub("strict.jsonl"), ["text"], Augmenter) { Strict = true }));
        Assert.StartsWith($"{input}:2: not valid JSON", strict.Message);
        var csv = _temp.File("in.csv", "text,other\nshe,1\nhe\n");
        Assert.Equal($"{csv}:3: has 1 fields, the header has 2", Assert.Single(CounterfactualDataset.Run(new CounterfactualJob(csv, _temp.Sub("out.csv"), ["text"], Augmenter)).MalformedRows));
        Assert.Contains("no column 'answer'", Assert.Throws<FairscopeException>(() => CounterfactualDataset.Run(new CounterfactualJob(csv, _temp.Sub("x.csv"), ["answer"], Augmenter))).Message);
    }

    [Fact]
    public void AnInterruptedRunResumesToTheSameBytesAndReport()
    {
        var input = _temp.File("in.jsonl", Jsonl(200));
        var whole = _temp.Sub("whole.jsonl");
        var expected = CounterfactualDataset.Run(new CounterfactualJob(input, whole, ["text"], Augmenter) { Seed = 7 });

        var output = _temp.Sub("resumed.jsonl");
        var job = new CounterfactualJob(input, output, ["text"], Augmenter) { Seed = 7, CheckpointEvery = 16 };
        using var cancel = new CancellationTokenSource();
        // Cancel at the first checkpoint; then bytes a crash left after it, which the checkpoint does not count.
        var progress = new Callback(() => cancel.Cancel());
        Assert.ThrowsAny<OperationCanceledException>(() => CounterfactualDataset.Run(job, progress, cancel.Token));
        File.AppendAllText(output + ".partial", "{\"half a row");
        Assert.Throws<FairscopeException>(() => CounterfactualDataset.Run(job with { Seed = 8 }));

        var report = CounterfactualDataset.Run(job);
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(output));
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(report));
        Assert.False(File.Exists(output + ".partial.checkpoint.json"));
    }

    [Fact]
    public async Task TheCommandWritesTheReportAndRefusesAMissingFieldWithExitTwo()
    {
        var input = _temp.File("in.jsonl", Jsonl(6));
        var output = _temp.Sub("out.jsonl");
        var (exit, errors) = await CliHarness.RunAsync("counterfactual", input, "--out", output, "--field", "text", "--concept", "gender", "--seed", "3");
        Assert.Equal((0, ""), (exit, errors));
        var report = JsonNode.Parse(File.ReadAllText(output + ".report.json"))!;
        Assert.Equal(4, (int)report["Variants"]!);
        Assert.Equal(2, (int)report["Swaps"]!["gender"]!["she>he"]!);

        (exit, errors) = await CliHarness.RunAsync("counterfactual", _temp.File("bad.csv", "a,b\n1,2\n"), "--out", _temp.Sub("o.csv"), "--field", "text");
        Assert.Equal(2, exit);
        Assert.Contains("bad.csv:1: no column 'text'", errors);
        (exit, errors) = await CliHarness.RunAsync("counterfactual", input, "--out", output, "--field", "text", "--concept", "caste");
        Assert.Equal(2, exit);
        Assert.Contains("unknown concept 'caste'", errors);
    }

    [Fact]
    public async Task ParquetGivesTheJsonlRowsVariantsAndProvenanceOneRowGroupPerBatch()
    {
        // Nine rows in two row groups (5 + 4), row 5's text null; batches of four rows cross the row group boundary.
        string? Text(int i) => i == 4 ? null : (i % 3) switch
        {
            0 => $"She is a nurse and her daughter is {20 + i} years old.",
            1 => "The Muslim man prayed at the mosque.",
            _ => $"Nothing to see in row {i}.",
        };
        var jsonl = _temp.File("in.jsonl", string.Concat(Enumerable.Range(0, 9).Select(i =>
            JsonSerializer.Serialize(new { id = $"r{i}", text = Text(i), occupation = "nurse", n = i }) + "\n")));
        var input = _temp.Sub("in.parquet");
        var schema = new ParquetSchema(new DataField<string>("id"), new DataField<string>("text"), new DataField<string>("occupation"), new DataField<int>("n"), new DataField<double?>("score"));
        await using (var stream = File.Create(input))
        await using (var writer = await ParquetWriter.CreateAsync(schema, stream))
            foreach (var rows in new[] { Enumerable.Range(0, 5).ToArray(), Enumerable.Range(5, 4).ToArray() })
            {
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(schema.DataFields[0], rows.Select(i => $"r{i}").ToArray());
                await group.WriteAsync(schema.DataFields[1], rows.Select(Text).ToArray());
                await group.WriteAsync(schema.DataFields[2], rows.Select(_ => "nurse").ToArray());
                await group.WriteAsync<int>(schema.DataFields[3], rows);
                await group.WriteAsync<double>(schema.DataFields[4], rows.Select(i => i == 0 ? null : (double?)i / 2).ToArray());
            }

        var job = new CounterfactualJob(jsonl, _temp.Sub("out.jsonl"), ["text"], Augmenter) { IdField = "id", Seed = 5, CheckpointEvery = 4 };
        var expectedReport = CounterfactualDataset.Run(job);
        var expected = File.ReadAllLines(job.Output).Select(l => JsonNode.Parse(l)!)
            .Select(r => ((string)r["text"]!, (int)r["n"]!, (string)r["cf_source_id"]!, (string)r["cf_concepts"]!, (string)r["cf_swap"]!)).ToList();
        var output = _temp.Sub("out.parquet");
        var report = CounterfactualDataset.Run(job with { Input = input, Output = output });

        Assert.Equal(JsonSerializer.Serialize(expectedReport).Replace(jsonl, input).Replace("is missing or not text", "is null"), JsonSerializer.Serialize(report));
        Assert.Equal($"{input}:5: field 'text' is null", Assert.Single(report.MalformedRows));
        await using var reader = await ParquetReader.CreateAsync(output);
        Assert.Equal(["id", "text", "occupation", "n", "score", "cf_source_id", "cf_concepts", "cf_swap"], reader.Schema.DataFields.Select(f => f.Name));
        Assert.Equal(typeof(int), reader.Schema.DataFields[3].ClrType);
        Assert.Equal(3, reader.RowGroupCount);
        var actual = new List<(string, int, string, string, string)>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var columns = new string?[8][];
            foreach (var c in new[] { 1, 5, 6, 7 })
                await group.ReadAsync(reader.Schema.DataFields[c], (columns[c] = new string?[group.RowCount]).AsMemory());
            var n = new int[group.RowCount];
            await group.ReadAsync<int>(reader.Schema.DataFields[3], n.AsMemory());
            var score = new double?[group.RowCount];
            await group.ReadAsync<double>(reader.Schema.DataFields[4], score.AsMemory());
            Assert.Equal(n.Select(i => i == 0 ? null : (double?)i / 2), score);
            actual.AddRange(Enumerable.Range(0, n.Length).Select(i => (columns[1]![i]!, n[i], columns[5]![i]!, columns[6]![i]!, columns[7]![i]!)));
        }
        Assert.Equal(expected, actual);
        Assert.Contains(actual, r => r.Item5 == "gender:female>male" && r.Item1 == "He is a nurse and his son is 20 years old.");
    }

    [Fact]
    public async Task AParquetTextFieldMustBeAStringColumn()
    {
        var input = _temp.Sub("in.parquet");
        var schema = new ParquetSchema(new DataField<int>("text"));
        await using (var stream = File.Create(input))
        await using (var writer = await ParquetWriter.CreateAsync(schema, stream))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<int>(schema.DataFields[0], new[] { 1, 2 });
        }
        var error = Assert.Throws<FairscopeException>(() => CounterfactualDataset.Run(new CounterfactualJob(input, _temp.Sub("out.parquet"), ["text"], Augmenter)));
        Assert.Equal($"{input}: column 'text' holds Int32, not strings; --field must name string columns", error.Message);
    }

    // Reports each progress update synchronously (Progress<T> would post to the thread pool).
    private sealed class Callback(Action onReport) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => onReport();
    }
}
