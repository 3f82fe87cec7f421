using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;

namespace PerfSim.Reporting.Renderers;

/// <summary>GitHub-flavoured markdown: a heading, one metric/value table per section, the tables, then warnings and notes.</summary>
public sealed class MarkdownRenderer : IReportRenderer
{
    public string Format => "markdown";

    public void Render(Report report, TextWriter w, RenderOptions options)
    {
        w.WriteLine($"## {report.Title}");
        foreach (var s in report.Sections)
        {
            w.WriteLine();
            if (s.Title.Length > 0) { w.WriteLine($"### {s.Title}"); w.WriteLine(); }
            Table(w, ["metric", "value"], s.Metrics.Select(m => new[] { m.Label, HumanText.Of(m.Value) }));
        }
        foreach (var t in report.Tables)
        {
            w.WriteLine();
            w.WriteLine($"### {t.Title}");
            w.WriteLine();
            Table(w, t.Columns.Select(c => c.Label).ToArray(), t.Rows.Select(r => r.Select(HumanText.Of).ToArray()));
        }
        List(w, "Warnings", report.Warnings);
        List(w, "Notes", report.Notes);
    }

    static void List(TextWriter w, string title, IReadOnlyList<string> items)
    {
        if (items.Count == 0) return;
        w.WriteLine();
        w.WriteLine($"### {title}");
        w.WriteLine();
        foreach (var i in items) w.WriteLine($"- {Escape(i)}");
    }

    static void Table(TextWriter w, IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        w.WriteLine("| " + string.Join(" | ", header.Select(Escape)) + " |");
        w.WriteLine("|" + string.Concat(header.Select(_ => "---|")));
        foreach (var r in rows) w.WriteLine("| " + string.Join(" | ", r.Select(Escape)) + " |");
    }

    static string Escape(string s) => s.Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");
}
