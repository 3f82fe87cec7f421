using System.CommandLine;
using PerfSim.Plots.Model;
using PerfSim.Plots.Rendering;

namespace PerfSim.Cli.Commands;

/// <summary>`--chart FILE.png|.svg` on the commands whose results have a chart (plan, serve, train --sweep-devices).</summary>
public static class ChartOption
{
    public static Option<string?> Create(string what) => new("--chart") { Description = $"Also draw {what} to FILE.png or FILE.svg" };

    /// <summary>Checks the extension before the (possibly long) run, so a typo fails at once.</summary>
    public static void Check(string? path)
    {
        if (path is not null && Path.GetExtension(path).ToLowerInvariant() is not (".png" or ".svg"))
            throw new UsageException($"--chart '{path}': expected a file ending in .png or .svg");
    }

    public static void Save(CliContext ctx, string? path, Func<Chart> chart)
    {
        if (path is null) return;
        try { ChartRenderer.Save(chart(), path, ChartRenderer.DefaultWidth, ChartRenderer.DefaultHeight); }
        catch (ArgumentException e) { throw new UsageException($"--chart {path}: {e.Message}"); }
        ctx.Error.WriteLine($"wrote {path}");
    }
}
