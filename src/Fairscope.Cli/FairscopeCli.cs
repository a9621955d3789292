using System.CommandLine;

namespace Fairscope.Cli;

/// <summary>The command tree; Program.cs invokes it, tests invoke it in-process.</summary>
public static class FairscopeCli
{
    /// <summary>A new root command with every subcommand.</summary>
    public static RootCommand Create() => new("Fairscope: measure, locate and mitigate demographic bias in generative AI.")
    {
        LaboratoryCommands.Demo(),
        AuditCommand.Create(),
        ReportCommand.Create(),
        PreferencesCommand.Create(),
        SuitesCommand.Create(),
        RunsCommand.Create(),
        WorldCommand.Create(),
        CounterfactualCommand.Create(),
        LaboratoryCommands.Inherit(),
        LaboratoryCommands.Mitigate(),
        ServeCommand.Create(),
        ModelsCommand.Create(),
        LocateCommand.Create(),
        EditCommand.Create(),
    };

    /// <summary>Runs a command line and returns the exit code (see <see cref="CommandRunner"/>).</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default) =>
        CommandRunner.InvokeAsync(Create(), args, cancellationToken);
}
