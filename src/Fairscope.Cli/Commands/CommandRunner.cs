using System.CommandLine;

namespace Fairscope.Cli;

/// <summary>
/// Runs a command line with Fairscope's exit codes: 0 success, 1 a failed fairness gate, 2 a usage or input
/// error (one line naming what is wrong), 3 an internal error, 130 interrupted by Ctrl-C (resume by rerunning).
/// No stack trace is printed unless FAIRSCOPE_DEBUG=1.
/// </summary>
public static class CommandRunner
{
    public const int Ok = 0, GateFailed = 1, InputError = 2, InternalError = 3, Interrupted = 130;

    /// <summary>Parses and invokes <paramref name="args"/> against <paramref name="root"/>.</summary>
    public static async Task<int> InvokeAsync(RootCommand root, string[] args, CancellationToken cancellationToken)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine($"fairscope: error: {error.Message}");
            Console.Error.WriteLine($"Run 'fairscope {parse.CommandResult.Command.Name} --help' for usage.".Replace("fairscope fairscope", "fairscope"));
            return InputError;
        }
        // Ctrl-C cancels the command; give it time to flush the store and record the interruption.
        return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(30) },
            cancellationToken);
    }

    /// <summary>Wraps a command body so that errors become exit codes and one-line messages.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Guard(Func<ParseResult, CancellationToken, Task<int>> body) => async (parse, ct) =>
    {
        try { return await body(parse, ct); }
        catch (FairscopeException e)
        {
            Console.Error.WriteLine($"fairscope: error: {e.Message}");
            Debug(e);
            return InputError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"fairscope: error: {e.Message.Split('\n')[0]}");
            Debug(e);
            return InputError;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Console.Error.WriteLine("fairscope: interrupted; everything finished so far is stored. Rerun the same command to resume.");
            return Interrupted;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"fairscope: internal error: {e.GetType().Name}: {e.Message.Split('\n')[0]} (set FAIRSCOPE_DEBUG=1 for details)");
            Debug(e);
            return InternalError;
        }
    };

    private static void Debug(Exception e)
    {
        if (Environment.GetEnvironmentVariable("FAIRSCOPE_DEBUG") == "1") Console.Error.WriteLine(e);
    }
}
