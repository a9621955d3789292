using System.CommandLine;
using Spectre.Console;

namespace Fairscope.Cli;

/// <summary><c>fairscope suites</c>: the built-in suites, one line each.</summary>
internal static class SuitesCommand
{
    public static Command Create()
    {
        var command = new Command("suites", "List the built-in prompt suites");
        command.SetAction(CommandRunner.Guard((_, _) =>
        {
            var table = new Table().AddColumns("suite", "prompts", "attributes", "description");
            foreach (var name in SuiteLoader.BuiltInNames)
            {
                var suite = SuiteLoader.Load(name);
                table.AddRow(name, suite.Prompts.Count.ToString(), Markup.Escape(string.Join(", ", suite.Attributes.Select(a => a.Name))), Markup.Escape(suite.Description));
            }
            AnsiConsole.Write(table);
            return Task.FromResult(CommandRunner.Ok);
        }));
        return command;
    }
}
