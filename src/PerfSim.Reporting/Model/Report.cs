using PerfSim.Reporting.Cells;

namespace PerfSim.Reporting.Model;

/// <summary>
/// One named value. `Key` is its dotted JSON path ("decode.tokens_per_s") and its CSV column; `Label` is for people.
/// </summary>
public sealed record Metric(string Key, string Label, Cell Value);

/// <summary>A titled group of metrics (setup, latency, energy …), rendered as a block in tables and markdown.</summary>
public sealed record Section(string Title, IReadOnlyList<Metric> Metrics);

/// <summary>A column of a table: `Key` is the JSON property (dotted for nesting) and CSV header, `Label` the header people see.</summary>
public sealed record Column(string Key, string Label);

/// <summary>
/// Rows of typed cells under columns (the per-operator breakdown, the candidates of a comparison, validation rows).
/// `Key` is where JSON puts the array (dotted path).
/// </summary>
public sealed record ReportTable(string Key, string Title, IReadOnlyList<Column> Columns, IReadOnlyList<IReadOnlyList<Cell>> Rows)
{
    public static ReportTable Of(string key, string title, IReadOnlyList<Column> columns, IEnumerable<IReadOnlyList<Cell>> rows)
    {
        var list = rows.ToArray();
        foreach (var r in list)
            if (r.Count != columns.Count) throw new ArgumentException($"table '{key}': a row has {r.Count} cells for {columns.Count} columns");
        return new ReportTable(key, title, columns, list);
    }
}

/// <summary>
/// What every renderer draws from, so all formats carry the same figures: a title, metric sections, tables, warnings
/// (something the user must know: does not fit, extrapolated) and notes (assumptions and why).
/// `PrimaryTable` names the table CSV writes (a comparison's candidates); without one CSV writes the metrics as one row.
/// </summary>
public sealed record Report(
    string Title,
    IReadOnlyList<Section> Sections,
    IReadOnlyList<ReportTable> Tables,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Notes,
    string? PrimaryTable = null)
{
    public IEnumerable<Metric> Metrics => Sections.SelectMany(s => s.Metrics);

    /// <summary>The metric with this key, or null.</summary>
    public Metric? Find(string key) => Metrics.FirstOrDefault(m => m.Key == key);

    public ReportTable? Table(string key) => Tables.FirstOrDefault(t => t.Key == key);
}
