using System.Text.Json;

namespace Fairscope.Tests;

/// <summary><c>fairscope locate probe</c> and <c>fairscope locate tokens</c> end to end, and their one-line input errors.</summary>
[Collection(CliCollection.Name)]
public sealed class LocateCliTests
{
    // 20 images: gender is the sign of feature 0, race the sign of feature 1 (feature 2 is noise); race is unknown on two rows.
    private static readonly double[][] Features = [.. Enumerable.Range(0, 20).Select(i => new[] { i % 2 == 0 ? -1 - i * 0.1 : 1 + i * 0.1, i % 4 < 2 ? 2 + i * 0.05 : -2 - i * 0.05, (i * 7 % 5) / 5.0 })];

    private static string LabelsCsv(int rows = 20) => "id,gender,race\n" + string.Concat(Enumerable.Range(0, rows).Select(i =>
        $"img{i},{(i % 2 == 0 ? "female" : "male")},{(i is 3 or 8 ? "unknown" : i % 4 < 2 ? "asian" : "black")}\n"));

    private static JsonElement Read(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    private static async Task<JsonElement> ProbeAsync(TempFolder temp, string features, params string[] extra)
    {
        var output = temp.Sub($"probe-{Guid.NewGuid():N}.json");
        var (exit, errors) = await CliHarness.RunAsync(["locate", "probe", "--features", features, "--labels", temp.File("labels.csv", LabelsCsv()), "--out", output, .. extra]);
        Assert.True(exit == 0, errors);
        return Read(output);
    }

    [Fact]
    public async Task Probe_reads_npy_and_beats_the_majority_baseline()
    {
        using var temp = new TempFolder();
        var results = await ProbeAsync(temp, LocateFiles.Npy(temp.Sub("f.npy"), "<f4", [20, 3], LocateFiles.Float32(Features)));

        var attributes = results.GetProperty("attributes");
        Assert.Equal(["gender", "race"], attributes.EnumerateArray().Select(a => a.GetProperty("attribute").GetString()));
        var gender = attributes[0];
        // 10 per class, round(10 · 0.25) = 3 held out each.
        Assert.Equal((14, 6), (gender.GetProperty("train").GetInt32(), gender.GetProperty("test").GetInt32()));
        Assert.Equal(1.0, gender.GetProperty("accuracy").GetProperty("value").GetDouble());
        Assert.Equal(0.5, gender.GetProperty("majority_baseline").GetDouble());
        // Race leaves its two unknown rows out: 18 labelled.
        Assert.Equal(18, attributes[1].GetProperty("train").GetInt32() + attributes[1].GetProperty("test").GetInt32());
        Assert.Equal(0.25, results.GetProperty("options").GetProperty("held_out").GetDouble());
    }

    [Fact]
    public async Task Probe_reads_other_npy_dtypes_and_flattens_trailing_axes()
    {
        using var temp = new TempFolder();
        var f8 = await ProbeAsync(temp, LocateFiles.Npy(temp.Sub("f8.npy"), "<f8", [20, 3, 1], LocateFiles.Float64(Features)));
        Assert.Equal(1.0, f8.GetProperty("attributes")[0].GetProperty("accuracy").GetProperty("value").GetDouble());
        var i8 = LocateFiles.Npy(temp.Sub("i8.npy"), "<i8", [20, 3], [.. Features.SelectMany(r => r).SelectMany(v => BitConverter.GetBytes((long)Math.Round(v * 10)))]);
        Assert.Equal(1.0, (await ProbeAsync(temp, i8)).GetProperty("attributes")[0].GetProperty("accuracy").GetProperty("value").GetDouble());
    }

    [Theory]
    [InlineData("F32", 4)]
    [InlineData("F16", 2)]
    [InlineData("BF16", 2)]
    [InlineData("F64", 8)]
    public async Task Probe_reads_a_safetensors_tensor(string dtype, int size)
    {
        using var temp = new TempFolder();
        var path = LocateFiles.Safetensors(temp.Sub("f.safetensors"), ("pooled", dtype, size, Features), ("other", "F32", 4, [[0.0]]));
        var results = await ProbeAsync(temp, path, "--tensor", "pooled");
        Assert.Equal(1.0, results.GetProperty("attributes")[0].GetProperty("accuracy").GetProperty("value").GetDouble());

        var (exit, errors) = await CliHarness.RunAsync("locate", "probe", "--features", path, "--labels", temp.File("labels.csv", LabelsCsv()));
        Assert.Equal(2, exit);
        Assert.Contains($"{path}: 2 tensors (pooled, other); choose one with --tensor NAME", errors);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Probe_reads_parquet_lists_or_numeric_columns(bool asList)
    {
        using var temp = new TempFolder();
        var results = await ProbeAsync(temp, await LocateFiles.Parquet(temp.Sub("f.parquet"), Features, asList));
        Assert.Equal(1.0, results.GetProperty("attributes")[0].GetProperty("accuracy").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Probe_input_errors_are_one_line_naming_the_file()
    {
        using var temp = new TempFolder();
        var labels = temp.File("labels.csv", LabelsCsv());
        var good = LocateFiles.Npy(temp.Sub("f.npy"), "<f4", [20, 3], LocateFiles.Float32(Features));
        async Task Fails(string features, string labelsFile, string message)
        {
            var (exit, errors) = await CliHarness.RunAsync("locate", "probe", "--features", features, "--labels", labelsFile);
            Assert.Equal(2, exit);
            Assert.Contains(message, errors);
            Assert.Single(errors.TrimEnd().Split('\n'));
        }

        await Fails(good, temp.File("short.csv", LabelsCsv(19)), $"{temp.Sub("short.csv")}: 19 label rows, but {good} has 20 feature rows");
        await Fails(temp.Sub("missing.npy"), labels, $"{temp.Sub("missing.npy")}: feature file not found");
        await Fails(good, temp.Sub("missing.csv"), $"{temp.Sub("missing.csv")}: labels file not found");
        await Fails(LocateFiles.Npy(temp.Sub("fortran.npy"), "<f4", [20, 3], LocateFiles.Float32(Features), fortran: true), labels, "is in Fortran order");
        await Fails(LocateFiles.Npy(temp.Sub("big.npy"), ">f4", [20, 3], LocateFiles.Float32(Features)), labels, "dtype '>f4' is big-endian");
        await Fails(LocateFiles.Npy(temp.Sub("u1.npy"), "|u1", [20, 3], new byte[60]), labels, "dtype '|u1' is not supported");
        await Fails(LocateFiles.Npy(temp.Sub("flat.npy"), "<f4", [60], LocateFiles.Float32(Features)), labels, "has 1 dimension(s)");
        await Fails(LocateFiles.Safetensors(temp.Sub("i.safetensors"), ("x", "I64", 8, Features)), labels, "tensor 'x' is I64; features must be F32, F16, BF16 or F64");
        await Fails(temp.File("f.txt", "1 2 3"), labels, "unknown feature format '.txt'");
        var oneClass = temp.File("one.csv", "gender\n" + string.Concat(Enumerable.Repeat("female\n", 20)));
        await Fails(good, oneClass, "attribute 'gender' has only class 'female'");
        await Fails(good, temp.File("ragged.csv", "gender,race\nfemale\n"), $"{temp.Sub("ragged.csv")}:2: 1 fields, but the header has 2");
    }

    private const string Sequences = """
        {"concept": "nurse", "tokens": [0, 0, 1], "perceived": {"gender": "female"}}
        {"concept": "nurse", "tokens": [0, 1, 0], "perceived": {"gender": "female"}}
        {"concept": "nurse", "tokens": [2, 0, 0], "perceived": {"gender": "unknown"}}
        {"concept": "nurse", "attribute": "gender", "group": "female", "tokens": [0, 0, 1]}
        {"concept": "nurse", "attribute": "gender", "group": "male", "tokens": [2, 2, 3]}
        {"concept": "pilot", "tokens": [3, 3, 2], "perceived": {"gender": "female"}}
        {"concept": "pilot", "tokens": [3, 2, 3], "perceived": {"gender": "male"}}
        {"concept": "pilot", "tokens": [3, 3, 3], "perceived": {"gender": "male"}}
        {"concept": "pilot", "attribute": "gender", "group": "female", "tokens": [3, 3, 2]}
        {"concept": "pilot", "attribute": "gender", "group": "male", "tokens": [0, 1, 1]}
        """;

    [Fact]
    public async Task Tokens_finds_one_hit_in_two_concepts()
    {
        // nurse: neutral histogram (6, 2, 1, 0), nearest the female prompt's (2, 1, 0, 0); dominant female (2 of 2 labelled): a hit.
        // pilot: neutral (0, 0, 2, 7), nearest female (0, 0, 1, 2); dominant male (2 of 3): a miss. Hit rate 0.5,
        // mean dominant share (1 + 2/3) / 2 = 0.8333.
        using var temp = new TempFolder();
        var output = temp.Sub("tokens.json");
        var (exit, errors) = await CliHarness.RunAsync("locate", "tokens", "--sequences", temp.File("s.jsonl", Sequences), "--codebook-size", "5", "--out", output);

        Assert.True(exit == 0, errors);
        var results = Read(output);
        Assert.Equal(5, results.GetProperty("codebook_size").GetInt32());
        var gender = results.GetProperty("attributes")[0];
        Assert.Equal(0.5, gender.GetProperty("hit_rate").GetProperty("value").GetDouble());
        Assert.Equal(0.8333, gender.GetProperty("mean_dominant_share").GetDouble(), 4);
        var locations = results.GetProperty("locations");
        Assert.Equal([true, false], locations.EnumerateArray().Select(l => l.GetProperty("hit").GetBoolean()));
        Assert.Equal("male", locations[1].GetProperty("dominant").GetString());
        Assert.True(locations[0].GetProperty("divergences").GetProperty("female").GetDouble() < locations[0].GetProperty("divergences").GetProperty("male").GetDouble());
    }

    [Fact]
    public async Task Tokens_input_errors_are_one_line_naming_the_file_and_line()
    {
        using var temp = new TempFolder();
        async Task Fails(string content, string message, params string[] extra)
        {
            var path = temp.File($"s{Guid.NewGuid():N}.jsonl", content);
            var (exit, errors) = await CliHarness.RunAsync(["locate", "tokens", "--sequences", path, .. extra]);
            Assert.Equal(2, exit);
            Assert.Contains(message.Replace("FILE", path), errors);
            Assert.Single(errors.TrimEnd().Split('\n'));
        }

        await Fails(Sequences, "FILE:5: token id 3 is outside the vocabulary [0, 3)", "--codebook-size", "3");
        await Fails(Sequences.Replace("\"tokens\": [2, 2, 3]}", "\"tokens\": [2, 2, 3"), "FILE:5: not valid JSON");
        await Fails(Sequences.Replace("\"group\": \"male\", \"tokens\": [2, 2, 3]", "\"group\": \"male\", \"tokens\": []"), "FILE:5: concept 'nurse', attribute 'gender', group 'male' has no tokens");
        await Fails(string.Join("\n", Sequences.Split('\n').Where(l => !l.Contains("\"nurse\", \"attribute\": \"gender\", \"group\": \"male\""))),
            "FILE:4: concept 'nurse', attribute 'gender' has only group 'female'");
        await Fails("{\"concept\": \"nurse\", \"tokens\": [1, -2]}", "FILE:1: token id -2 is outside the vocabulary");
        await Fails("{\"concept\": \"nurse\", \"tokens\": [1]}", "FILE:1: concept 'nurse' has no group-prompt lines");

        var (exit, errors) = await CliHarness.RunAsync("locate", "tokens", "--sequences", temp.Sub("none.jsonl"));
        Assert.Equal(2, exit);
        Assert.Contains($"{temp.Sub("none.jsonl")}: sequences file not found", errors);
    }
}
