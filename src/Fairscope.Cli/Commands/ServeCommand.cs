using System.CommandLine;
using System.Net;

namespace Fairscope.Cli;

/// <summary>
/// <c>fairscope serve</c>: serves a GPT model directory over an OpenAI-compatible HTTP API (<see cref="ModelServer"/>)
/// until Ctrl-C, which stops it and exits 0 (stopping a server is its normal end, not an interruption). Prints the base
/// URL to pass as <c>--base-url</c>. A missing or broken model directory, a bad host or a port in use exit 2.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "GPT model directory (config.json, model.safetensors, vocab.json + merges.txt or tokenizer.json), or builtin:teacher / builtin:student (the laboratory's models, trained into the cache on first use)", Required = true };
        var port = new Option<int>("--port") { Description = "TCP port (0: any free port)", DefaultValueFactory = _ => 8000 };
        var host = new Option<string>("--host") { Description = "IP address to listen on (localhost, 127.0.0.1, 0.0.0.0, ::1, ...)", DefaultValueFactory = _ => "127.0.0.1" };
        var command = new Command("serve", "Serve a GPT model directory over an OpenAI-compatible API (/v1/chat/completions, /v1/completions, /v1/models) until Ctrl-C")
        {
            model, port, host,
        };
        command.SetAction(CommandRunner.Guard(async (parse, ct) =>
        {
            var address = ParseHost(parse.GetValue(host)!);
            int portNumber = parse.GetValue(port);
            if (portNumber is < 0 or > 65535) throw new FairscopeException($"--port must be between 0 and 65535, got {portNumber}");
            var directory = ModelArgument.Resolve(parse.GetValue(model)!, ct);
            using var languageModel = LanguageModel.Load(directory);
            var modelId = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
            ModelServer server;
            try { server = await ModelServer.StartAsync(languageModel, modelId, address, portNumber, Console.Error, ct); }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
            {
                throw new FairscopeException($"cannot listen on {parse.GetValue(host)}:{portNumber}: {e.Message.Split('\n')[0]}");
            }
            await using (server)
            {
                Console.WriteLine($"fairscope: serving {modelId} at {server.BaseUrl} (Ctrl-C stops)");
                try { await Task.Delay(Timeout.Infinite, ct); }
                catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            }
            Console.Error.WriteLine("fairscope: server stopped");
            return CommandRunner.Ok;
        }));
        return command;
    }

    private static IPAddress ParseHost(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        return IPAddress.TryParse(host.Trim('[', ']'), out var address) ? address
            : throw new FairscopeException($"--host '{host}' is not an IP address (or localhost)");
    }
}
