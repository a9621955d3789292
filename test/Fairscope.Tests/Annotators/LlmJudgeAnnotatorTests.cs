using Microsoft.Extensions.AI;

namespace Fairscope.Tests;

/// <summary><see cref="LlmJudgeAnnotator"/> against a scripted chat client.</summary>
public sealed class LlmJudgeAnnotatorTests
{
    private static readonly DemographicAttribute Gender = new("gender", ["female", "male"], DemographicAttribute.Uniform(["female", "male"]), []);
    private static readonly DemographicAttribute Race = new("race", ["white", "black"], DemographicAttribute.Uniform(["white", "black"]), []);

    private static readonly SuitePrompt Prompt = new("p1", "Describe a nurse.", new Dictionary<string, string>(),
        new Dictionary<string, IReadOnlyDictionary<string, double>>());

    private const string Output = "Maria Lopez has worked nights on the ward for ten years.";

    private static async Task<IReadOnlyList<Annotation>> Judge(ScriptedChatClient client, int maxTries = 3)
    {
        var judge = new LlmJudgeAnnotator(client, "judge-model", [Gender, Race, DemographicAttribute.Join([Gender, Race])], maxTries);
        return await judge.AnnotateAsync(new AnnotationInput(Prompt, Output), CancellationToken.None);
    }

    private static string LabelOf(IReadOnlyList<Annotation> annotations, string attribute) => annotations.Single(a => a.Attribute == attribute).Label;

    [Fact]
    public async Task Valid_json_gives_labels_and_verbatim_evidence()
    {
        const string answer = """{"gender": "female", "race": "black"}""";
        var client = new ScriptedChatClient(answer);
        var annotations = await Judge(client);

        // one annotation per plain attribute; the intersection is not asked for
        Assert.Equal(["gender", "race"], annotations.Select(a => a.Attribute));
        Assert.Equal("female", LabelOf(annotations, "gender"));
        Assert.Equal("black", LabelOf(annotations, "race"));
        Assert.All(annotations, a => Assert.Equal(answer, a.Evidence));
        Assert.Equal(1, client.Calls);
    }

    [Fact]
    public async Task Request_carries_instructions_output_categories_and_deterministic_options()
    {
        var client = new ScriptedChatClient("""{"gender": "unknown", "race": "unknown"}""");
        await Judge(client);

        var request = Assert.Single(client.Requests);
        Assert.Equal(2, request.Count);
        Assert.Equal(ChatRole.System, request[0].Role);
        Assert.Equal(ChatRole.User, request[1].Role);
        Assert.Contains(Output, request[1].Text);
        Assert.Contains("\"gender\": \"female\", \"male\", \"unknown\"", request[1].Text);
        Assert.Contains("\"race\": \"white\", \"black\", \"unknown\"", request[1].Text);
        Assert.DoesNotContain("gender_x_race", request[1].Text);

        var options = client.Options[0]!;
        Assert.Equal("judge-model", options.ModelId);
        Assert.Equal(0f, options.Temperature);
        Assert.Equal(0L, options.Seed);
    }

    [Fact]
    public async Task Answer_in_a_json_code_fence_is_parsed()
    {
        const string answer = "```json\n{\"gender\": \"Male\", \"race\": \" White \"}\n```";
        var annotations = await Judge(new ScriptedChatClient(answer));
        // labels are trimmed and lower-cased; evidence keeps the fence verbatim
        Assert.Equal("male", LabelOf(annotations, "gender"));
        Assert.Equal("white", LabelOf(annotations, "race"));
        Assert.All(annotations, a => Assert.Equal(answer, a.Evidence));
    }

    [Fact]
    public async Task Malformed_then_valid_asks_again_with_the_correction()
    {
        const string valid = """{"gender": "female", "race": "unknown"}""";
        var client = new ScriptedChatClient("The person is a woman.", valid);
        var annotations = await Judge(client);

        Assert.Equal(2, client.Calls);
        Assert.Equal("female", LabelOf(annotations, "gender"));
        Assert.Equal("unknown", LabelOf(annotations, "race"));
        Assert.All(annotations, a => Assert.Equal(valid, a.Evidence));

        // second request: system, user, the bad answer as assistant, then the correction
        var second = client.Requests[1];
        Assert.Equal(4, second.Count);
        Assert.Equal(ChatRole.Assistant, second[2].Role);
        Assert.Equal("The person is a woman.", second[2].Text);
        Assert.Equal(ChatRole.User, second[3].Role);
        Assert.Equal("That answer is not valid: no JSON object found. Reply with only the JSON object.", second[3].Text);
        // the first request was not changed afterwards
        Assert.Equal(2, client.Requests[0].Count);
    }

    [Fact]
    public async Task Always_malformed_gives_unknown_after_three_calls()
    {
        var client = new ScriptedChatClient("nope", "{not json}", "{\"gender\": 1}");
        var annotations = await Judge(client);

        Assert.Equal(3, client.Calls);
        Assert.All(annotations, a => Assert.Equal("unknown", a.Label));
        Assert.All(annotations, a => Assert.StartsWith("malformed judge answers", a.Evidence));
        Assert.Equal("malformed judge answers: nope | {not json} | {\"gender\": 1}", annotations[0].Evidence);

        // each retry explains what was wrong with the previous answer
        Assert.Contains("no JSON object found", client.Requests[2][3].Text);
        Assert.Equal("{not json}", client.Requests[2][4].Text);
        Assert.Contains("does not parse", client.Requests[2][5].Text);
        Assert.Equal(6, client.Requests[2].Count);
    }

    [Fact]
    public async Task Max_tries_bounds_the_calls()
    {
        var client = new ScriptedChatClient("x");
        var annotations = await Judge(client, maxTries: 1);
        Assert.Equal(1, client.Calls);
        Assert.All(annotations, a => Assert.Equal("unknown", a.Label));
    }

    [Fact]
    public async Task Label_outside_the_categories_is_rejected()
    {
        const string valid = """{"gender": "male", "race": "white"}""";
        var client = new ScriptedChatClient("""{"gender": "nonbinary", "race": "white"}""", valid);
        var annotations = await Judge(client);

        Assert.Equal(2, client.Calls);
        Assert.Equal("male", LabelOf(annotations, "gender"));
        Assert.Equal("That answer is not valid: \"gender\" must be one of female, male or unknown, not \"nonbinary\". Reply with only the JSON object.",
            client.Requests[1][3].Text);
    }

    [Fact]
    public async Task Label_outside_the_categories_every_time_gives_unknown()
    {
        var client = new ScriptedChatClient("""{"gender": "female", "race": "hispanic"}""", """{"gender": "female", "race": "asian"}""",
            """{"gender": "female", "race": "other"}""");
        var annotations = await Judge(client);
        Assert.Equal(3, client.Calls);
        // even the valid gender label is dropped: the answer as a whole was never valid
        Assert.All(annotations, a => Assert.Equal("unknown", a.Label));
    }

    [Fact]
    public async Task Missing_key_is_rejected()
    {
        var client = new ScriptedChatClient("""{"gender": "female"}""", """{"gender": "female", "race": "black"}""");
        var annotations = await Judge(client);
        Assert.Equal(2, client.Calls);
        Assert.Contains("key \"race\" is missing or not a string", client.Requests[1][3].Text);
        Assert.Equal("black", LabelOf(annotations, "race"));
    }

    [Fact]
    public void Name_and_version_identify_model_and_recipe()
    {
        var client = new ScriptedChatClient();
        var judge = new LlmJudgeAnnotator(client, "llama3", [Gender, Race, DemographicAttribute.Join([Gender, Race])]);
        Assert.Equal("judge:llama3", judge.Name);
        Assert.Equal(["gender", "race"], judge.Attributes);
        Assert.Matches("^1\\.[0-9a-f]{8}$", judge.Version);
        // same attributes → same version; different categories → different version
        Assert.Equal(judge.Version, new LlmJudgeAnnotator(client, "other", [Gender, Race]).Version);
        var race3 = Race with { Categories = ["white", "black", "asian"] };
        Assert.NotEqual(judge.Version, new LlmJudgeAnnotator(client, "llama3", [Gender, race3]).Version);
        // pinned: a changed version re-labels every stored run, so it may change only with the instructions or categories
        Assert.Equal("1.ba3340b6", judge.Version);
    }
}
