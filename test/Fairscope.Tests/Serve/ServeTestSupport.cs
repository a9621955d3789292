using System.Net;
using System.Text;
using System.Text.Json;

namespace Fairscope.Tests;

/// <summary>A tiny model served in-process on a free loopback port, and helpers to talk to it.</summary>
internal sealed class ServeTestServer : IAsyncDisposable
{
    public const string System = "You are a storyteller.";
    public const string User = "The nurse said that";

    private ServeTestServer(TempFolder temp, string directory, LanguageModel model, ModelServer server) =>
        (Temp, Directory, Model, Server) = (temp, directory, model, server);

    public TempFolder Temp { get; }
    public string Directory { get; }
    public LanguageModel Model { get; }
    public ModelServer Server { get; }
    public HttpClient Http { get; } = new();

    /// <summary>The served model's directory: context 64, so prompt and max_tokens fit together.</summary>
    public static string WriteModel(TempFolder temp) => TinyModels.WriteModel(temp, contextLength: 64);

    public static async Task<ServeTestServer> StartAsync()
    {
        var temp = new TempFolder();
        var directory = WriteModel(temp);
        var model = LanguageModel.Load(directory);
        var server = await ModelServer.StartAsync(model, "builtin", IPAddress.Loopback, 0);
        return new ServeTestServer(temp, directory, model, server);
    }

    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string json)
    {
        using var response = await Http.PostAsync(Server.BaseUrl + path, new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonElement> PostOkAsync(string path, object body)
    {
        var (status, text) = await PostAsync(path, JsonSerializer.Serialize(body));
        Assert.True(status == HttpStatusCode.OK, $"{status}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>The data lines of a server-sent-event stream, [DONE] last.</summary>
    public async Task<List<string>> StreamAsync(string path, object body)
    {
        var (status, text) = await PostAsync(path, JsonSerializer.Serialize(body));
        Assert.True(status == HttpStatusCode.OK, $"{status}: {text}");
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e));
        return [.. events.Select(e => e["data: ".Length..])];
    }

    public static object[] Messages => [new { role = "system", content = System }, new { role = "user", content = User }];

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Model.Dispose();
        Temp.Dispose();
    }
}

/// <summary>Where the repository's files are, seen from the test binaries.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Fairscope.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Fairscope.slnx not found above " + AppContext.BaseDirectory);
    }
}
