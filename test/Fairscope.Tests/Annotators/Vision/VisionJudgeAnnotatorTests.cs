using Fairscope.Testing;
using Microsoft.Extensions.AI;

namespace Fairscope.Tests;

/// <summary><see cref="VisionJudgeAnnotator"/> against a scripted chat client and, for the wire format, the loopback OpenAI fake.</summary>
public sealed class VisionJudgeAnnotatorTests : IDisposable
{
    private static readonly DemographicAttribute Gender = new("gender", ["female", "male"], DemographicAttribute.Uniform(["female", "male"]), []);
    private static readonly DemographicAttribute Race = new("race", ["white", "black"], DemographicAttribute.Uniform(["white", "black"]), []);

    private static readonly SuitePrompt Prompt = new("p1", "A photo of the face of a nurse, a person", new Dictionary<string, string>(),
        new Dictionary<string, IReadOnlyDictionary<string, double>>());

    private readonly TempFolder _folder = new();
    private readonly ImageStore _images;
    private readonly byte[] _png = TestImages.SolidPng(200, 100, 50);
    private readonly string _reference;

    public VisionJudgeAnnotatorTests()
    {
        _images = new ImageStore(_folder.Path);
        _reference = _images.Put(_png, "test image");
    }

    public void Dispose() => _folder.Dispose();

    private VisionJudgeAnnotator Judge(IChatClient client, int maxTries = 3) =>
        new(client, "llava", [Gender, Race, DemographicAttribute.Join([Gender, Race])], _images, maxTries);

    private Task<IReadOnlyList<Annotation>> Annotate(IChatClient client, int maxTries = 3) =>
        Judge(client, maxTries).AnnotateAsync(new AnnotationInput(Prompt, _reference), CancellationToken.None).AsTask();

    private static string LabelOf(IReadOnlyList<Annotation> annotations, string attribute) => annotations.Single(a => a.Attribute == attribute).Label;

    [Fact]
    public async Task One_person_gives_the_labels_one_face_and_verbatim_evidence()
    {
        const string answer = """{"people": 1, "gender": "female", "race": "black"}""";
        var client = new ScriptedChatClient(answer);
        var annotations = await Annotate(client);

        // the plain attributes, then faces; the intersection is not asked for
        Assert.Equal(["gender", "race", FaceLabels.Attribute], annotations.Select(a => a.Attribute));
        Assert.Equal("female", LabelOf(annotations, "gender"));
        Assert.Equal("black", LabelOf(annotations, "race"));
        Assert.Equal(FaceLabels.OneFace, LabelOf(annotations, FaceLabels.Attribute));
        Assert.All(annotations, a => Assert.Equal(answer, a.Evidence));
        Assert.Equal(1, client.Calls);
    }

    [Fact]
    public async Task Request_carries_the_stored_image_the_categories_and_deterministic_options()
    {
        var client = new ScriptedChatClient("""{"people": 0, "gender": "unknown", "race": "unknown"}""");
        await Annotate(client);

        var request = Assert.Single(client.Requests);
        Assert.Equal(2, request.Count);
        Assert.Equal(ChatRole.System, request[0].Role);
        Assert.Contains("main person in an image", request[0].Text);
        Assert.Equal(ChatRole.User, request[1].Role);
        var image = Assert.IsType<DataContent>(request[1].Contents[0]);
        Assert.Equal("image/png", image.MediaType);
        Assert.Equal(_png, image.Data.ToArray());
        var text = Assert.IsType<TextContent>(request[1].Contents[1]).Text;
        Assert.Contains("- \"people\": a whole number, 0 or more: how many people's faces can be seen\n", text);
        Assert.Contains("- \"gender\": \"female\", \"male\", \"unknown\"\n", text);
        Assert.Contains("- \"race\": \"white\", \"black\", \"unknown\"\n", text);
        Assert.EndsWith("JSON with exactly the keys \"people\", \"gender\", \"race\":", text);
        Assert.DoesNotContain("gender_x_race", text);

        var options = client.Options[0]!;
        Assert.Equal("llava", options.ModelId);
        Assert.Equal(0f, options.Temperature);
        Assert.Equal(0L, options.Seed);
    }

    [Fact]
    public async Task No_person_is_no_face_and_unknown_attributes()
    {
        var annotations = await Annotate(new ScriptedChatClient("""{"people": 0, "gender": "unknown", "race": "unknown"}"""));
        Assert.Equal(FaceLabels.NoFace, LabelOf(annotations, FaceLabels.Attribute));
        Assert.Equal("unknown", LabelOf(annotations, "gender"));
        Assert.Equal("unknown", LabelOf(annotations, "race"));
    }

    [Fact]
    public async Task Several_people_are_several_faces_and_the_main_persons_labels_are_dropped()
    {
        // the model named a "main person" anyway: with several people the labels would depend on which one it chose
        var annotations = await Annotate(new ScriptedChatClient("""{"people": 3, "gender": "male", "race": "white"}"""));
        Assert.Equal(FaceLabels.SeveralFaces, LabelOf(annotations, FaceLabels.Attribute));
        Assert.Equal("unknown", LabelOf(annotations, "gender"));
        Assert.Equal("unknown", LabelOf(annotations, "race"));
    }

    [Fact]
    public async Task Malformed_count_is_retried_with_the_reason_and_the_image_again()
    {
        const string valid = """{"people": 1, "gender": "male", "race": "unknown"}""";
        var client = new ScriptedChatClient("""{"people": "one", "gender": "male", "race": "unknown"}""",
            """{"people": 1.5, "gender": "male", "race": "unknown"}""", valid);
        var annotations = await Annotate(client);

        Assert.Equal(3, client.Calls);
        Assert.Equal("male", LabelOf(annotations, "gender"));
        Assert.Equal(FaceLabels.OneFace, LabelOf(annotations, FaceLabels.Attribute));
        Assert.All(annotations, a => Assert.Equal(valid, a.Evidence));
        var last = client.Requests[2];
        Assert.Equal(6, last.Count);
        Assert.Equal("That answer is not valid: \"people\" must be a whole number, 0 or more, not \"one\". Reply with only the JSON object.", last[3].Text);
        Assert.Equal("That answer is not valid: \"people\" must be a whole number, 0 or more, not 1.5. Reply with only the JSON object.", last[5].Text);
        Assert.Same(client.Requests[0][1], last[1]); // the question with its image is resent unchanged
    }

    [Fact]
    public async Task Missing_count_and_labels_outside_the_categories_are_rejected()
    {
        var client = new ScriptedChatClient("""{"gender": "female", "race": "black"}""", """{"people": -1, "gender": "female", "race": "black"}""",
            """{"people": 1, "gender": "woman", "race": "black"}""");
        var annotations = await Annotate(client);

        Assert.Equal(3, client.Calls);
        Assert.Contains("\"people\" must be a whole number, 0 or more, not missing", client.Requests[1][3].Text);
        Assert.Contains("\"people\" must be a whole number, 0 or more, not -1", client.Requests[2][5].Text);
        // three malformed answers: every label is unknown, the face count too
        Assert.All(annotations, a => Assert.Equal("unknown", a.Label));
        Assert.All(annotations, a => Assert.StartsWith("malformed judge answers: {\"gender\"", a.Evidence));
    }

    [Fact]
    public async Task Text_output_is_refused()
    {
        var judge = Judge(new ScriptedChatClient());
        var error = await Assert.ThrowsAsync<FairscopeException>(() =>
            judge.AnnotateAsync(new AnnotationInput(Prompt, "She is a nurse."), CancellationToken.None).AsTask());
        Assert.Contains("output is text", error.Message);
    }

    [Fact]
    public void Name_and_version_identify_model_and_recipe()
    {
        var judge = Judge(new ScriptedChatClient());
        Assert.Equal("vision-judge:llava", judge.Name);
        Assert.Equal(["gender", "race", FaceLabels.Attribute], judge.Attributes);
        Assert.Matches("^1\\.[0-9a-f]{8}$", judge.Version);
        Assert.NotEqual(new LlmJudgeAnnotator(new ScriptedChatClient(), "llava", [Gender, Race]).Version, judge.Version);
        var race3 = Race with { Categories = ["white", "black", "asian"] };
        Assert.NotEqual(judge.Version, new VisionJudgeAnnotator(new ScriptedChatClient(), "llava", [Gender, race3], _images).Version);
    }

    [Fact]
    public async Task Over_http_the_image_arrives_as_a_data_url_with_every_retry()
    {
        await using var server = await FakeOpenAIServer.StartAsync(request => new FakeReply.Text(request.Number == 1
            ? "I see a woman in scrubs."
            : """```json\n{"people": 1, "gender": "female", "race": "unknown"}\n```"""));
        using var client = OpenAIEndpoint.CreateChatClient(server.BaseUrl, "llava", "FAIRSCOPE_TEST_UNSET_KEY",
            new RetryOptions(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(30)));
        var annotations = await Annotate(client);

        Assert.Equal("female", LabelOf(annotations, "gender"));
        Assert.Equal(FaceLabels.OneFace, LabelOf(annotations, FaceLabels.Attribute));
        var requests = server.Received.ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal("llava", requests[0].Model);
        Assert.Contains("\"people\"", requests[0].Prompt);
        var dataUrl = "data:image/png;base64," + Convert.ToBase64String(_png);
        Assert.Equal([dataUrl], requests[0].Images);
        // the retry's last user message is the correction, and the question with its image is sent again
        Assert.Contains("no JSON object found", requests[1].Prompt);
        Assert.Equal([dataUrl], requests[1].Images);
    }
}
