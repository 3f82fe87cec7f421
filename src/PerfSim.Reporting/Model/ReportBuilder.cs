using PerfSim.Reporting.Cells;

namespace PerfSim.Reporting.Model;

/// <summary>Assembles a report section by section; keys must be unique (a duplicate would be lost in JSON).</summary>
public sealed class ReportBuilder(string title)
{
    readonly List<Section> sections = [];
    readonly List<ReportTable> tables = [];
    readonly List<string> warnings = [];
    readonly List<string> notes = [];
    readonly HashSet<string> keys = new(StringComparer.Ordinal);
    List<Metric>? current;
    string? primary;

    public ReportBuilder Section(string title)
    {
        current = [];
        sections.Add(new Section(title, current));
        return this;
    }

    public ReportBuilder Add(string key, string label, Cell value)
    {
        if (current is null) Section("");
        if (!keys.Add(key)) throw new ArgumentException($"report '{title}': metric key '{key}' appears twice");
        current!.Add(new Metric(key, label, value));
        return this;
    }

    public ReportBuilder Table(ReportTable table, bool primary = false)
    {
        tables.Add(table);
        if (primary) this.primary = table.Key;
        return this;
    }

    public ReportBuilder Warn(string text) { warnings.Add(text); return this; }
    public ReportBuilder Warn(IEnumerable<string> texts) { warnings.AddRange(texts); return this; }
    public ReportBuilder Note(string text) { notes.Add(text); return this; }
    public ReportBuilder Note(IEnumerable<string> texts) { notes.AddRange(texts); return this; }

    public Report Build() => new(title, sections.Where(s => s.Metrics.Count > 0).ToArray(), tables.ToArray(),
        warnings.Distinct().ToArray(), notes.Distinct().ToArray(), primary);
}
