using System.CommandLine;
using PerfSim.Cli.Commands;
using PerfSim.Composition;
using PerfSim.Data;
using PerfSim.Data.Catalog;
using PerfSim.Data.Profiles;

namespace PerfSim.Cli;

/// <summary>Composes the `perfsim` root command and turns every expected failure into a one-line error and an exit code.</summary>
public static class PerfSimCli
{
    public static ExitCode Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var context = new CliContext(stdout, stderr);
        var root = new RootCommand("PerfSim: performance, energy and cost of LLM inference on CPUs, GPUs, NPUs and SoCs.");
        root.Subcommands.Add(PredictCommand.Create(context));
        root.Subcommands.Add(CompareCommand.Create(context));
        root.Subcommands.Add(ListCommand.Create(context));
        foreach (var extra in CommandRegistry.Extra(context)) root.Subcommands.Add(extra);

        // With no arguments at all, run the main job on built-in defaults: a what-if report.
        if (args.Length == 0) args = ["predict"];

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var command = parsed.CommandResult.Command == root ? "perfsim" : $"perfsim {parsed.CommandResult.Command.Name}";
            stderr.WriteLine($"perfsim: {parsed.Errors[0].Message} (see '{command} --help')");
            return ExitCode.Usage;
        }
        try
        {
            var code = parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
            return (ExitCode)code;
        }
        catch (Exception e) when (Classify(e) is { } known)
        {
            stderr.WriteLine($"perfsim: {e.Message}");
            return known;
        }
    }

    static ExitCode? Classify(Exception e) => e switch
    {
        ProfileException => ExitCode.InvalidInput,
        InputFileException => ExitCode.InvalidInput,
        DoesNotFitException => ExitCode.DoesNotFit,
        PerfSim.Data.Importers.ModelImportException => ExitCode.InvalidInput,
        UnknownIdException => ExitCode.Usage,
        UsageException => ExitCode.Usage,
        ArgumentException => ExitCode.Usage,
        IOException or UnauthorizedAccessException => ExitCode.Failure,
        _ => null,
    };
}
