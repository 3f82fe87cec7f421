using System.CommandLine;

namespace PerfSim.Cli;

/// <summary>Commands beyond predict/compare/list, one factory each; add a line here for a new verb.</summary>
public static class CommandRegistry
{
    public static IEnumerable<Command> Extra(CliContext context)
    {
        yield return Commands.ValidateCommand.Create(context);
        yield return Commands.FitCommand.Create(context);
        yield return Commands.CalibrateCommand.Create(context);
        yield return Commands.TrainCommand.Create(context);
        yield return Commands.PlanCommand.Create(context);
        yield return Commands.TiersCommand.Create(context);
        yield return Commands.HybridCommand.Create(context);
        yield return Commands.ServeCommand.Create(context);
        yield return Commands.PlotCommand.Create(context);
        yield return Commands.SweepCommand.Create(context);
        yield return Commands.ReportCommand.Create(context);
    }
}
