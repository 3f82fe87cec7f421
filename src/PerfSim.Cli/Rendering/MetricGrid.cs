namespace PerfSim.Cli.Rendering;

/// <summary>Metric rows of several reports aligned by key and grouped by section, as display text.</summary>
public static class MetricGrid
{
    public sealed record Line(string Label, IReadOnlyList<string> Cells);

    public static IReadOnlyList<(string Section, IReadOnlyList<Line> Lines)> Build(IReadOnlyList<Report> reports)
    {
        var order = new List<(string Section, string Key, string Label, string Unit)>();
        var seen = new HashSet<string>();
        foreach (var r in reports)
            foreach (var row in r.Rows)
                if (seen.Add(row.Key)) order.Add((row.Section, row.Key, row.Label, row.Unit));
        var maps = reports.Select(r => r.Rows.GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.First())).ToArray();
        return order.GroupBy(o => o.Section).Select(g => (g.Key, (IReadOnlyList<Line>)g.Select(o =>
            new Line(o.Unit.Length > 0 && o.Unit != "B" ? $"{o.Label} ({o.Unit})" : o.Label,
                maps.Select(m => m.TryGetValue(o.Key, out var row) ? Cell(row) : "–").ToArray())).ToArray())).ToArray();

    // Byte counts read better with decimal prefixes ("13.48 GB"); the exact number stays in JSON and CSV.
    static string Cell(ReportRow row) => row.Unit == "B" && row.Value is double d ? new PerfSim.Core.Units.Bytes(d).ToString() : ValueText.Human(row.Value);
    }
}
