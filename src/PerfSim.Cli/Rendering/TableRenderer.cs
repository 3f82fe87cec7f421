using Spectre.Console;

namespace PerfSim.Cli.Rendering;

/// <summary>Human-readable tables via Spectre.Console; plain characters when output is redirected.</summary>
public sealed class TableRenderer : IReportRenderer
{
    public string Format => "table";

    const int LongText = 40;

    public void Render(IReadOnlyList<Report> reports, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = output == Console.Out && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        if (output != Console.Out || Console.IsOutputRedirected) console.Profile.Width = 140;

        console.Write(new Rule(Markup.Escape(reports.Count == 1 ? reports[0].Title : "Comparison")).LeftJustified());
        // One table, sections as bold header rows: a report reads top to bottom without repeated headers.
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("metric");
        foreach (var r in reports) table.AddColumn(new TableColumn(Markup.Escape(reports.Count == 1 ? "value" : r.Title)).RightAligned());
        bool first = true;
        var longText = new List<MetricGrid.Line>();
        foreach (var (section, lines) in MetricGrid.Build(reports))
        {
            if (!first) table.AddEmptyRow();
            first = false;
            table.AddRow([$"[bold]{Markup.Escape(section)}[/]", .. reports.Select(_ => "")]);
            foreach (var l in lines)
            {
                // Long text (a cost basis, a backend description) would widen every row: it goes below the table.
                if (l.Cells.Any(c => c.Length > LongText)) { longText.Add(l); continue; }
                table.AddRow(["  " + Markup.Escape(l.Label), .. l.Cells.Select(Markup.Escape)]);
            }
        }
        console.Write(table);
        foreach (var l in longText)
            foreach (var (cell, i) in l.Cells.Select((c, i) => (c, i)))
                console.WriteLine($"{l.Label}{(reports.Count > 1 ? $" [{reports[i].Title}]" : "")}: {cell}");
        if (reports.Count == 1)
        {
            foreach (var d in reports[0].Details)
            {
                var detail = new Table().Border(TableBorder.Simple).Title(Markup.Escape(d.Title));
                foreach (var h in d.Headers) detail.AddColumn(Markup.Escape(h));
                foreach (var r in d.Rows) detail.AddRow(r.Select(Markup.Escape).ToArray());
                console.Write(detail);
            }
        }
        var notes = reports.SelectMany(r => r.Notes).Distinct().ToArray();
        foreach (var n in notes) console.WriteLine("• " + n);
    }
}
