using System.CommandLine;
using Fairscope.Cli;

// Declarations only; each command lives in Commands/.
var root = new RootCommand("Fairscope: measure, locate and mitigate demographic bias in generative AI.")
{
    AuditCommand.Create(),
    ReportCommand.Create(),
    SuitesCommand.Create(),
    RunsCommand.Create(),
};
return await CommandRunner.InvokeAsync(root, args, CancellationToken.None);
