using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;

namespace PerfSim.Reporting.Renderers;

/// <summary>
/// CSV with full precision in base units: the report's primary table (one line per row), or, without one, the
/// metrics as a single line under a header of their keys. Missing values are empty fields.
/// </summary>
public sealed class CsvRenderer : IReportRenderer
{
    public string Format => "csv";

    public void Render(Report report, TextWriter output, RenderOptions options)
    {
        if (report.PrimaryTable is { } key && report.Table(key) is { } t)
        {
            Line(output, t.Columns.Select(c => ReportKey.Plain(c.Key)));
            foreach (var row in t.Rows) Line(output, row.Select(ExactText.Of));
            return;
        }
        var metrics = report.Metrics.ToArray();
        Line(output, metrics.Select(m => ReportKey.Plain(m.Key)));
        Line(output, metrics.Select(m => ExactText.Of(m.Value)));
    }

    static void Line(TextWriter w, IEnumerable<string> fields) => w.WriteLine(string.Join(",", fields.Select(Escape)));

    /// <summary>RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled.</summary>
    public static string Escape(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
