using System.CommandLine;

namespace Fairscope.Cli;

/// <summary><c>fairscope models fetch face-api</c>: installs pretrained weights that annotators need and that are not bundled.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "What to fetch: face-api (the face detector and age/gender weights of @vladmandic/face-api, via npm pack)" };
        var fetch = new Command("fetch", "Fetch pretrained weights into the cache ($FAIRSCOPE_CACHE, else $XDG_CACHE_HOME/fairscope, else ~/.cache/fairscope)") { name };
        fetch.SetAction(CommandRunner.Guard(async (parse, ct) =>
        {
            var what = parse.GetValue(name);
            if (what != "face-api") throw new FairscopeException($"unknown model '{what}'; fetchable: face-api");
            var directory = await FaceApiPackage.FetchAsync(ct);
            Console.WriteLine($"{FaceApiPackage.Name}@{FaceApiPackage.Version} weights: {directory}");
            return 0;
        }));
        return new Command("models", "Pretrained weights used by annotators") { fetch };
    }
}
