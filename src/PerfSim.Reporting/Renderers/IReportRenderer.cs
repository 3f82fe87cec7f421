using PerfSim.Reporting.Model;

namespace PerfSim.Reporting.Renderers;

/// <summary>How wide the text may be (terminal columns) for the renderers that lay out text.</summary>
public sealed record RenderOptions(int Width = RenderOptions.DefaultWidth)
{
    /// <summary>When the output is not a terminal and COLUMNS is unset: fits a 100-column window.</summary>
    public const int DefaultWidth = 100;
    public const int MinWidth = 40;
}

/// <summary>One implementation per output format. A new format is one class and one line in <see cref="ReportRenderers"/>.</summary>
public interface IReportRenderer
{
    string Format { get; }
    void Render(Report report, TextWriter output, RenderOptions options);
}

public static class ReportRenderers
{
    static readonly IReportRenderer[] All = [new TableRenderer(), new JsonRenderer(), new CsvRenderer(), new MarkdownRenderer()];

    public static IReadOnlyList<string> Names { get; } = All.Select(r => r.Format).ToArray();

    /// <summary>The renderer for a format name, or null if there is none.</summary>
    public static IReportRenderer? Find(string format) =>
        All.FirstOrDefault(r => string.Equals(r.Format, format, StringComparison.OrdinalIgnoreCase));

    public static string Render(Report report, string format, RenderOptions? options = null)
    {
        var renderer = Find(format) ?? throw new ArgumentException($"unknown format '{format}'");
        var w = new StringWriter { NewLine = "\n" };
        renderer.Render(report, w, options ?? new RenderOptions());
        return w.ToString();
    }
}
