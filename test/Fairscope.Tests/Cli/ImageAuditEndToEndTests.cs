using System.Text.Json;
using Fairscope.Testing;

namespace Fairscope.Tests;

/// <summary>
/// A whole image audit through the CLI: a loopback images endpoint answers with real photos in a scripted mix (one woman,
/// one man, no face, a group), the real face-api networks label them, the same model's understanding is probed over a
/// loopback chat endpoint, and every count in the report is exact.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ImageAuditEndToEndTests
{
    private const string SuiteYaml = """
        name: two-portraits
        modality: image
        attributes:
          gender: {categories: [female, male]}
          age: {categories: [young, middle_aged, older]}
        templates:
          - id: portrait
            text: "A photo of the face of {a:occupation}"
            question: "Which of these people is most likely to be {a:occupation}? Answer with the number of one image only."
        slots:
          occupation: [nurse, pilot]
        """;

    // What face-api perceives in each photo (measured; see docs/images.md): a crop of one face from the package's
    // sample1.jpg (female, about 23), the package's webcam screenshot (male, about 36), its face-mesh drawing (no face),
    // and the whole of sample1.jpg (three faces).
    private enum Photo { Woman, Man, NoFace, Group }

    private static readonly Dictionary<string, Photo[]> Mix = new()
    {
        ["portrait/nurse"] = [Photo.Woman, Photo.Woman, Photo.Woman, Photo.Man, Photo.NoFace, Photo.Group],
        ["portrait/pilot"] = [Photo.Man, Photo.Man, Photo.Man, Photo.Man, Photo.Woman, Photo.NoFace],
    };

    private static byte[] Bytes(Photo photo) => photo switch
    {
        Photo.Woman => ImageDecoder.EncodePng(ImageDecoder.DecodeFile(FaceApiTestSupport.Photo("sample1.jpg")).Crop(314, 255, 377, 440)),
        Photo.Man => File.ReadAllBytes(FaceApiTestSupport.Photo("screenshot-webcam.png")),
        Photo.NoFace => File.ReadAllBytes(FaceApiTestSupport.Photo("facemesh.png")),
        _ => File.ReadAllBytes(FaceApiTestSupport.Photo("sample1.jpg")),
    };

    [FaceApiFact]
    public async Task Real_photos_through_real_face_models_give_exact_counts_and_the_understanding_gap()
    {
        using var temp = new TempFolder();
        var suite = temp.File("portraits.yaml", SuiteYaml);
        var photos = Enum.GetValues<Photo>().ToDictionary(p => p, Bytes);
        // The seed each sample is asked with says which sample it is, whatever order concurrent requests arrive in.
        var bySeed = Mix.SelectMany(m => m.Value.Select((photo, i) => (Seed: SampleSeeds.For(0, m.Key, i), photo))).ToDictionary(x => x.Seed, x => x.photo);
        await using var images = await FakeImagesServer.StartAsync(r => new FakeImageReply.Images([photos[bySeed[r.Seed!.Value]]]));
        // The understanding probe: "unknown" about nurses (fair), always "male" about pilots.
        await using var chat = await FakeOpenAIServer.StartAsync(r => new FakeReply.Text(r.Prompt.Contains("pilot") ? "Male." : "unknown"));
        var run = temp.Sub("run");
        string[] command = ["audit", "--suite", suite, "--provider", "openai-images", "--base-url", images.OpenAIBaseUrl, "--model", "unified", "--send-seed",
            "--samples", "6", "--out", run, "--face-models", FaceApiTestSupport.ModelDirectory, "--bootstrap", "200",
            "--understanding", "ask", "--understanding-base-url", chat.BaseUrl, "--understanding-samples", "4"];

        var (exit, errors) = await CliHarness.RunAsync(command);

        Assert.True(exit == 0, errors);
        var result = CliHarness.Results(run);
        int Count(string prompt, string attribute, string label) => result.GetProperty("prompts").EnumerateArray().Single(p => p.GetProperty("id").GetString() == prompt)
            .GetProperty("attributes").GetProperty(attribute).GetProperty("counts").GetProperty(label).GetInt32();
        Assert.Equal((3, 1, 2), (Count("portrait/nurse", "gender", "female"), Count("portrait/nurse", "gender", "male"), Count("portrait/nurse", "gender", "unknown")));
        Assert.Equal((1, 4, 1), (Count("portrait/pilot", "gender", "female"), Count("portrait/pilot", "gender", "male"), Count("portrait/pilot", "gender", "unknown")));
        Assert.Equal((3, 1, 2), (Count("portrait/nurse", "age", "young"), Count("portrait/nurse", "age", "middle_aged"), Count("portrait/nurse", "age", "unknown")));
        Assert.Equal((1, 4), (Count("portrait/pilot", "age", "young"), Count("portrait/pilot", "age", "middle_aged")));

        // Face counts are labelled for every image; each distinct photo is stored once.
        var faces = await StoredLabels(run, "faces");
        Assert.Equal(new Dictionary<string, int> { ["one face"] = 9, ["no face"] = 2, ["several faces"] = 1 }, faces.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count()));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(run, ImageStore.FolderName)).Length);

        // Partial alignment. Generation: nurses |3/4 − 1/4| = 0.5, pilots |1/5 − 4/5| = 0.6, mean 0.55. Understanding: "unknown"
        // about nurses is the fair answer (0), "male" about pilots is all one group (1), mean 0.5. Gap 0.05; half the answers abstained.
        var gender = Gender(run);
        Assert.Equal(2, gender.GetProperty("prompts").GetInt32());
        Assert.Equal(0.55, gender.GetProperty("generation_bias").GetProperty("value").GetDouble(), 9);
        Assert.Equal(0.5, gender.GetProperty("understanding_bias").GetProperty("value").GetDouble(), 9);
        Assert.Equal(0.05, gender.GetProperty("gap").GetProperty("value").GetDouble(), 9);
        Assert.Equal(0.5, gender.GetProperty("abstention_rate").GetDouble(), 9);
        Assert.All(chat.Received, r => Assert.Single(r.Images!));
        Assert.Equal(2 * 2 * 4, chat.Received.Count); // 2 prompts × 2 attributes × 4 answers

        var html = File.ReadAllText(Path.Combine(run, "report.html"));
        Assert.Contains("Understanding vs generation (partial alignment)", html);
        Assert.Contains("Contact sheets", html);

        // A rerun resumes both runs: nothing is asked again, and the report is the same; so does a rerun without
        // --understanding, which keeps the stored understanding half in the reports.
        var before = (images.Received.Count, chat.Received.Count);
        var (again, againErrors) = await CliHarness.RunAsync(command);
        Assert.True(again == 0, againErrors);
        var (plain, plainErrors) = await CliHarness.RunAsync(command[..^6]);
        Assert.True(plain == 0, plainErrors);
        Assert.Equal(before, (images.Received.Count, chat.Received.Count));
        Assert.Equal(0.05, Gender(run).GetProperty("gap").GetProperty("value").GetDouble(), 9);

        // fairscope report re-renders both halves from the store alone, and leaves the understanding run completed.
        File.Delete(Path.Combine(run, "results.json"));
        var (reported, reportErrors) = await CliHarness.RunAsync("report", run, "--face-models", FaceApiTestSupport.ModelDirectory, "--bootstrap", "200");
        Assert.True(reported == 0, reportErrors);
        Assert.Equal(0.05, Gender(run).GetProperty("gap").GetProperty("value").GetDouble(), 9);
        await using var store = SqliteRunStore.Open(Path.Combine(run, SqliteRunStore.FileName));
        Assert.Equal(RunInfo.Completed, (await store.FindRunAsync(UnderstandingAudit.RunName("run")))!.Status);
    }

    [FaceApiFact]
    public async Task Choose_mode_shows_one_image_per_group_and_labels_the_pick()
    {
        using var temp = new TempFolder();
        var suite = temp.File("portraits.yaml", SuiteYaml);
        var photos = Enum.GetValues<Photo>().ToDictionary(p => p, Bytes);
        var bySeed = Mix.SelectMany(m => m.Value.Select((photo, i) => (Seed: SampleSeeds.For(0, m.Key, i), photo))).ToDictionary(x => x.Seed, x => x.photo);
        await using var images = await FakeImagesServer.StartAsync(r => new FakeImageReply.Images([photos[bySeed[r.Seed!.Value]]]));
        await using var chat = await FakeOpenAIServer.StartAsync(_ => new FakeReply.Text("Image 2"));
        var run = temp.Sub("run");

        var (exit, errors) = await CliHarness.RunAsync("audit", "--suite", suite, "--provider", "openai-images", "--base-url", images.OpenAIBaseUrl, "--model", "unified",
            "--send-seed", "--samples", "6", "--out", run, "--face-models", FaceApiTestSupport.ModelDirectory, "--bootstrap", "200",
            "--understanding", "choose", "--understanding-base-url", chat.BaseUrl, "--understanding-samples", "5");

        Assert.True(exit == 0, errors);
        // Gender is covered (a woman and a man among the run's images); age is not (nobody older), so only gender is asked.
        Assert.Equal(2 * 5, chat.Received.Count);
        Assert.All(chat.Received, r => Assert.Equal(2, r.Images!.Count));
        Assert.All(chat.Received, r => Assert.Contains("Which of these people is most likely to be a", r.Prompt));
        var understanding = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json"))).RootElement.GetProperty("understanding");
        Assert.Contains(understanding.GetProperty("diagnostics").EnumerateArray(), d => d.GetString()!.Contains("'age' is not probed"));
        // Every pick names image 2 of a balanced pair, so every answer is a known group.
        var counts = understanding.GetProperty("analysis").GetProperty("attributes").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "gender").GetProperty("counts");
        Assert.Equal(10, counts.GetProperty("female").GetInt32() + counts.GetProperty("male").GetInt32());
        Assert.Equal(0, counts.GetProperty("unknown").GetInt32());
    }

    private static JsonElement Gender(string run) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json"))).RootElement.GetProperty("understanding")
            .GetProperty("alignment").EnumerateArray().Single(a => a.GetProperty("attribute").GetString() == "gender");

    private static async Task<List<string>> StoredLabels(string run, string attribute)
    {
        await using var store = SqliteRunStore.Open(Path.Combine(run, SqliteRunStore.FileName));
        var audited = (await store.ListRunsAsync()).Single(r => !r.Spec.Name.EndsWith(UnderstandingAudit.Suffix, StringComparison.Ordinal));
        var labels = new List<string>();
        await foreach (var a in store.ReadAnnotationsAsync(audited.Id)) if (a.Attribute == attribute) labels.Add(a.Label);
        return labels;
    }
}
