using Spectre.Console;

namespace PerfSim.Cli.Rendering;

/// <summary>Human-readable tables via Spectre.Console; plain characters when output is redirected.</summary>
public sealed class TableRenderer : IReportRenderer
{
    public string Format => "table";

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
        foreach (var (section, lines) in MetricGrid.Build(reports))
        {
            var table = new Table().Border(TableBorder.Simple).Title(Markup.Escape(section));
            table.AddColumn("metric");
            foreach (var r in reports) table.AddColumn(new TableColumn(Markup.Escape(reports.Count == 1 ? "value" : r.Title)).RightAligned());
            foreach (var l in lines) table.AddRow([Markup.Escape(l.Label), .. l.Cells.Select(Markup.Escape)]);
            console.Write(table);
        }
        if (reports.Count == 1)
        {
            foreach (var d in reports[0].Details)
            {
                var table = new Table().Border(TableBorder.Simple).Title(Markup.Escape(d.Title));
                foreach (var h in d.Headers) table.AddColumn(Markup.Escape(h));
                foreach (var r in d.Rows) table.AddRow(r.Select(Markup.Escape).ToArray());
                console.Write(table);
            }
        }
        var notes = reports.SelectMany(r => r.Notes).Distinct().ToArray();
        foreach (var n in notes) console.WriteLine("• " + n);
    }
}
