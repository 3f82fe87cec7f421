using PerfSim.Reporting;
using PerfSim.Reporting.Model;
using PerfSim.Reporting.Renderers;

namespace PerfSim.Cli;

/// <summary>Renders a report to standard output or, with --output, to a file written atomically.</summary>
public static class ReportOutput
{
    /// <summary>The renderer for --format, or a usage error naming the formats (checked before any long work).</summary>
    public static IReportRenderer Renderer(string format) =>
        ReportRenderers.Find(format) ?? throw new UsageException($"--format must be one of {string.Join(", ", ReportRenderers.Names)}; got '{format}'");

    public static void Write(CliContext ctx, Report report, string format, string? path)
    {
        var renderer = Renderer(format);
        if (path is null) { renderer.Render(report, ctx.Out, ctx.RenderOptions); return; }
        // A file gets the default width, not the terminal's: the same command writes the same file anywhere.
        try { AtomicFile.Write(path, w => renderer.Render(report, w, new RenderOptions())); }
        catch (DirectoryNotFoundException e) { throw new UsageException($"--output: {e.Message}"); }
        ctx.Error.WriteLine($"wrote {path}");
    }
}
