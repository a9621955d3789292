using System.Diagnostics;

namespace Fairscope.Tests;

/// <summary>Whether node can run here, for tests that drive npm packages from test/node.</summary>
internal static class NodeRuntime
{
    /// <summary>Why node cannot run, or null.</summary>
    public static string? Unavailable()
    {
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            node.WaitForExit(10_000);
            return node.ExitCode == 0 ? null : "node --version failed";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "node is not on PATH";
        }
    }
}
