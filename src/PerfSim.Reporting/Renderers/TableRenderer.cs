using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;

namespace PerfSim.Reporting.Renderers;

/// <summary>
/// Plain-text report for people within the terminal's width: each section as label/value lines (prose values wrapped
/// under their column, numbers never), then the tables (see <see cref="TextGrid"/>), warnings and notes.
/// </summary>
public sealed class TableRenderer : IReportRenderer
{
    public string Format => "table";

    public void Render(Report report, TextWriter w, RenderOptions options)
    {
        int width = Math.Max(RenderOptions.MinWidth, options.Width);
        foreach (var line in TextWrap.Lines(report.Title, width)) w.WriteLine(line);
        w.WriteLine(new string('═', Math.Min(width, Math.Max(10, report.Title.Length))));

        var metrics = report.Metrics.ToArray();
        if (metrics.Length > 0)
        {
            int label = Math.Min(metrics.Max(m => m.Label.Length) + 2, width * 11 / 20);
            int value = width - 2 - label;
            foreach (var s in report.Sections)
            {
                w.WriteLine();
                if (s.Title.Length > 0) w.WriteLine(s.Title);
                foreach (var m in s.Metrics)
                {
                    // A label's leading spaces mark it as a part of the line above (energy split): keep them.
                    var indent = new string(' ', m.Label.Length - m.Label.TrimStart().Length);
                    var labels = TextWrap.Lines(m.Label.TrimStart(), label - 2 - indent.Length).Select(x => indent + x).ToArray();
                    var text = HumanText.Of(m.Value);
                    var values = HumanText.Wrappable(m.Value) ? TextWrap.Lines(text, value) : [text];
                    for (int i = 0; i < Math.Max(labels.Length, values.Count); i++)
                    {
                        var l = i < labels.Length ? labels[i] : "";
                        var v = i < values.Count ? values[i] : "";
                        w.WriteLine(("  " + l.PadRight(label - 2) + "  " + v).TrimEnd());
                    }
                }
            }
        }
        foreach (var t in report.Tables)
        {
            w.WriteLine();
            w.WriteLine(t.Title);
            TextGrid.Write(w, t, width);
        }
        Bullets(w, "!", report.Warnings, width);
        Bullets(w, "•", report.Notes, width);
    }

    static void Bullets(TextWriter w, string mark, IReadOnlyList<string> items, int width)
    {
        if (items.Count == 0) return;
        w.WriteLine();
        foreach (var item in items)
        {
            var lines = TextWrap.Lines(item, width - 2);
            for (int i = 0; i < lines.Count; i++) w.WriteLine((i == 0 ? mark + " " : "  ") + lines[i]);
        }
    }
}
