namespace PerfSim.Cli.Rendering;

/// <summary>
/// One metric of a report. `Key` is its dotted JSON path (e.g. "decode.tokens_per_s"), also the CSV column name.
/// `Value` is a double, string or bool; `Unit` is for people (table and markdown), never mixed into the value.
/// </summary>
public sealed record ReportRow(string Section, string Key, string Label, object Value, string Unit = "");

/// <summary>An extra table (e.g. the per-operator breakdown): plain text cells.</summary>
public sealed record DetailTable(string Title, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>
/// A format-independent report: metric rows, detail tables, notes, and lists (warnings, assumptions) — what every
/// renderer (table, json, csv, markdown) draws from, so all formats carry the same figures.
/// </summary>
public sealed record Report(
    string Title,
    IReadOnlyList<ReportRow> Rows,
    IReadOnlyList<DetailTable> Details,
    IReadOnlyList<string> Notes,
    IReadOnlyDictionary<string, object> Extra)
{
    public static Report Of(string title, IEnumerable<ReportRow> rows, IEnumerable<DetailTable>? details = null,
        IEnumerable<string>? notes = null, IReadOnlyDictionary<string, object>? extra = null) =>
        new(title, rows.ToArray(), details?.ToArray() ?? [], notes?.ToArray() ?? [], extra ?? new Dictionary<string, object>());
}
