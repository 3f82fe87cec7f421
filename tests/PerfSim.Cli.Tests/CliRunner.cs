using PerfSim.Cli;

namespace PerfSim.Cli.Tests;

/// <summary>Runs the CLI in-process against the repository's data, capturing both streams.</summary>
public static class CliRunner
{
    public static string Root { get; } = FindRoot();

    public static (ExitCode Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = PerfSimCli.Run([.. args, .. (NeedsNoData(args) ? Array.Empty<string>() : ["--data", Root])], o, e);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>Commands that take no --data: no arguments, help, completion, or an explicit --data.</summary>
    static bool NeedsNoData(string[] args) =>
        args.Length == 0 || args.Contains("--data") || args.Contains("--help") || args[0] is "help" or "completion";

    /// <summary>As <see cref="Run"/>, on a terminal of the given width.</summary>
    public static (ExitCode Code, string Out, string Err) RunWithWidth(int width, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = PerfSimCli.Run([.. args, "--data", Root], o, e, width);
        return (code, o.ToString(), e.ToString());
    }

    static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (Directory.Exists(Path.Combine(d.FullName, "hardware-profiles")) && Directory.Exists(Path.Combine(d.FullName, "workloads")))
                return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }
}
