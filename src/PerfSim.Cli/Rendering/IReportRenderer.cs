namespace PerfSim.Cli.Rendering;

/// <summary>
/// Renders one report, or several side by side (compare). One implementation per output format; the CLI picks by
/// `--format` name. A new format is one class and one line in <see cref="Renderers"/>.
/// </summary>
public interface IReportRenderer
{
    string Format { get; }
    void Render(IReadOnlyList<Report> reports, TextWriter output);
}

public static class Renderers
{
    static readonly IReportRenderer[] All = [new TableRenderer(), new JsonRenderer(), new CsvRenderer(), new MarkdownRenderer()];

    public static IReadOnlyList<string> Names => All.Select(r => r.Format).ToArray();

    public static IReportRenderer For(string format) =>
        All.FirstOrDefault(r => string.Equals(r.Format, format, StringComparison.OrdinalIgnoreCase))
        ?? throw new UsageException($"unknown format '{format}'; expected one of {string.Join(", ", Names)}");
}
