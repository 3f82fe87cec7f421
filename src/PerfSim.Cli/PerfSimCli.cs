using System.CommandLine;
using System.Text.RegularExpressions;
using PerfSim.Cli.Commands;
using PerfSim.Data.Catalog;
using PerfSim.Data.Importers;
using PerfSim.Data.Profiles;

namespace PerfSim.Cli;

/// <summary>Composes the `perfsim` root command and turns every expected failure into a one-line error and an exit code.</summary>
public static partial class PerfSimCli
{
    public static RootCommand Root(CliContext context)
    {
        var root = new RootCommand("PerfSim: performance, energy and cost of LLM inference on CPUs, GPUs, NPUs and SoCs.");
        root.Subcommands.Add(PredictCommand.Create(context));
        root.Subcommands.Add(CompareCommand.Create(context));
        root.Subcommands.Add(ListCommand.Create(context));
        foreach (var extra in CommandRegistry.Extra(context)) root.Subcommands.Add(extra);
        root.Subcommands.Add(CompletionCommand.Create(context, root));
        return root;
    }

    public static ExitCode Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var context = new CliContext(stdout, stderr);
        var root = Root(context);

        // With no arguments at all, run the main job on built-in defaults: a what-if report.
        if (args.Length == 0) args = ["predict"];
        // `perfsim help [verb]` is `perfsim [verb] --help`.
        if (args[0] == "help") args = [.. args[1..], "--help"];
        if (!args[0].StartsWith('-') && root.Subcommands.All(c => c.Name != args[0]))
        {
            var closest = Closest.Match(args[0], root.Subcommands.Select(c => c.Name));
            stderr.WriteLine($"perfsim: unknown command {NumberOptions.Shown(args[0])}" + (closest is null ? "" : $"; did you mean '{closest}'?") + " (see 'perfsim --help')");
            return ExitCode.Usage;
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var command = parsed.CommandResult.Command == root ? "perfsim" : $"perfsim {parsed.CommandResult.Command.Name}";
            stderr.WriteLine($"perfsim: {OneLine(parsed.Errors[0].Message)} (see '{command} --help')");
            return ExitCode.Usage;
        }
        try
        {
            var code = parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
            return (ExitCode)code;
        }
        catch (Exception e) when (Classify(e) is { } known)
        {
            stderr.WriteLine($"perfsim: {OneLine(e.Message)}");
            return known;
        }
    }

    static ExitCode? Classify(Exception e) => e switch
    {
        ProfileException => ExitCode.InvalidInput,
        InputFileException => ExitCode.InvalidInput,
        ModelImportException => ExitCode.InvalidInput,
        DoesNotFitException => ExitCode.DoesNotFit,
        UnknownIdException => ExitCode.Usage,
        UsageException => ExitCode.Usage,
        ArgumentException => ExitCode.Usage,
        DirectoryNotFoundException or FileNotFoundException => ExitCode.Usage,
        IOException or UnauthorizedAccessException => ExitCode.Failure,
        _ => null,
    };

    /// <summary>One line, without .NET's parameter-name suffix or type names: what a user can act on.</summary>
    public static string OneLine(string message)
    {
        var m = ParameterSuffix().Replace(message, "");
        m = SystemType().Replace(m, t => t.Groups[1].Value switch { "Int32" or "Int64" => "a whole number", "Double" or "Single" => "a number", "Boolean" => "true or false", var x => x.ToLowerInvariant() });
        return string.Join(" ", m.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)")]
    private static partial Regex ParameterSuffix();

    [GeneratedRegex(@"'?System\.(\w+)(?:\[\])?'?")]
    private static partial Regex SystemType();
}
