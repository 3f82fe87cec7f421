
namespace PerfSim.Cli.Rendering;

/// <summary>Wide CSV: one row per report, one column per metric key (units are in the key names, e.g. "_s", "_bytes").</summary>
public sealed class CsvRenderer : IReportRenderer
{
    public string Format => "csv";

    public void Render(IReadOnlyList<Report> reports, TextWriter output)
    {
        var keys = reports.SelectMany(r => r.Rows.Select(x => x.Key)).Distinct().ToArray();
        var rows = reports.Select(r =>
        {
            var map = r.Rows.GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.First().Value);
            return keys.Select(k => map.TryGetValue(k, out var v) ? ValueText.Exact(v) : "").ToArray();
        });
        CsvText.Write(output, keys, rows);
    }
}
