using System.Globalization;
using CsvHelper;
using PerfSim.Reporting;
using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Renderers;

namespace PerfSim.Plots.Html;

/// <summary>
/// Writes a <see cref="StudyDocument"/> to a folder: report.html (self-contained), report.md (the same tables in
/// markdown) and one CSV per table (CsvHelper; exact values in base units) named slug-table.csv, plus slug-metrics.csv
/// for each report's sections. Every file is written atomically. Returns the paths written, in order.
/// </summary>
public static class ReportFolder
{
    public static IReadOnlyList<string> Write(StudyDocument doc, string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"-o '{dir}': folder does not exist");
        var written = new List<string>();
        void Put(string name, Action<TextWriter> write)
        {
            var path = Path.Combine(dir, name);
            AtomicFile.Write(path, write);
            written.Add(path);
        }
        Put("report.html", w => w.Write(HtmlReport.Render(doc)));
        Put("report.md", w => Markdown(doc, w));
        foreach (var named in doc.WhatIf.Concat(doc.Sources))
        {
            var r = named.Report;
            if (r.Sections.Count > 0)
                Put($"{named.Slug}-metrics.csv", w => Csv(w, ["section", "key", "label", "value", "unit"],
                    r.Sections.SelectMany(s => s.Metrics.Select(m => (IReadOnlyList<string>)[s.Title, m.Key, m.Label, ExactText.Of(m.Value), UnitOf(m.Value)]))));
            foreach (var t in r.Tables)
                Put($"{named.Slug}-{Slug(t.Key)}.csv", w => Csv(w, t.Columns.Select(c => c.Key).ToList(), t.Rows.Select(row => (IReadOnlyList<string>)row.Select(ExactText.Of).ToList())));
        }
        return written;
    }

    static void Markdown(StudyDocument doc, TextWriter w)
    {
        var md = new MarkdownRenderer();
        w.WriteLine($"# {doc.Title}");
        w.WriteLine();
        w.WriteLine("## What-if tables");
        foreach (var r in doc.WhatIf) { w.WriteLine(); md.Render(r.Report, w, new RenderOptions()); }
        w.WriteLine();
        w.WriteLine("## Charts (in report.html)");
        w.WriteLine();
        foreach (var c in doc.Charts) w.WriteLine($"- {c.Title}");
        w.WriteLine();
        w.WriteLine("## Assumptions");
        w.WriteLine();
        foreach (var a in doc.Assumptions) w.WriteLine($"- {a}");
        w.WriteLine();
        w.WriteLine("## Sources of every profile figure");
        foreach (var r in doc.Sources) { w.WriteLine(); md.Render(r.Report, w, new RenderOptions()); }
    }

    static void Csv(TextWriter output, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        using var csv = CsvWriter.Create(output, null, leaveOpen: true);
        foreach (var h in header) csv.WriteField(h);
        csv.EndRecord();
        foreach (var row in rows)
        {
            foreach (var f in row) csv.WriteField(f);
            csv.EndRecord();
        }
        csv.Flush();
    }

    static string UnitOf(Cell c) => c switch
    {
        QuantityCell q => q.Unit.ToString(),
        IntervalCell i => i.Unit.ToString(),
        RatioCell => "ratio",
        _ => "",
    };

    public static string Slug(string s) => new(s.Select(ch => char.IsAsciiLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : '-').ToArray());
}
