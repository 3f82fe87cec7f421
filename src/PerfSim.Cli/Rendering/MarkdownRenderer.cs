namespace PerfSim.Cli.Rendering;

/// <summary>GitHub-flavoured markdown: a metric table (one column per report), detail tables, then notes.</summary>
public sealed class MarkdownRenderer : IReportRenderer
{
    public string Format => "markdown";

    public void Render(IReadOnlyList<Report> reports, TextWriter output)
    {
        output.WriteLine($"# {(reports.Count == 1 ? reports[0].Title : "Comparison")}");
        output.WriteLine();
        foreach (var (section, rows) in MetricGrid.Build(reports))
        {
            output.WriteLine($"## {section}");
            output.WriteLine();
            output.WriteLine("| metric | " + string.Join(" | ", reports.Select(r => Escape(r.Title))) + " |");
            output.WriteLine("|---|" + string.Concat(reports.Select(_ => "---:|")));
            foreach (var row in rows)
                output.WriteLine($"| {Escape(row.Label)} | " + string.Join(" | ", row.Cells.Select(Escape)) + " |");
            output.WriteLine();
        }
        if (reports.Count == 1)
        {
            foreach (var t in reports[0].Details)
            {
                output.WriteLine($"## {t.Title}");
                output.WriteLine();
                output.WriteLine("| " + string.Join(" | ", t.Headers) + " |");
                output.WriteLine("|" + string.Concat(t.Headers.Select(_ => "---|")));
                foreach (var r in t.Rows) output.WriteLine("| " + string.Join(" | ", r.Select(Escape)) + " |");
                output.WriteLine();
            }
        }
        var notes = reports.SelectMany(r => r.Notes).Distinct().ToArray();
        if (notes.Length > 0)
        {
            output.WriteLine("## Notes");
            output.WriteLine();
            foreach (var n in notes) output.WriteLine($"- {Escape(n)}");
        }
    }

    static string Escape(string s) => s.Replace("|", "\\|");
}
