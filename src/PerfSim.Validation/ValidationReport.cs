using PerfSim.Data.Measurements;
using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;
using Metric = PerfSim.Data.Measurements.Metric;

namespace PerfSim.Validation;

/// <summary>
/// A validation (or fit) as a report: MAPE per metric and backend (in-sample, and leave-one-device-out when given),
/// every predicted row with its signed error, the worst rows, and the rows that could not be predicted with why.
/// JSON keeps the documented shape: `summary.by_metric.&lt;metric&gt;.mape`, `rows[]`, `unpredicted[]`.
/// </summary>
public static class ValidationReport
{
    public static Report Build(string title, string reference, ValidationResult v, int worst = 5, ValidationResult? lodo = null,
        IReadOnlyList<(string Backend, string Parameters)>? fitted = null, bool inSample = false)
    {
        var b = new ReportBuilder($"{title}: {reference}");
        b.Section("reference").Add("reference", "measurement file", Cell.Text(reference))
            .Add("in_sample", "backends fitted on this file (error is in-sample)", Cell.Bool(inSample));
        Summary(b, "summary", inSample ? "error (in-sample)" : "error", v.Summary);
        if (lodo is not null) Summary(b, "leave_one_device_out", "leave-one-device-out error", lodo.Summary);
        if (fitted is { Count: > 0 })
        {
            b.Section("fitted parameters");
            foreach (var (backend, p) in fitted) b.Add($"fitted.{backend}", backend, Cell.Text(p));
        }
        b.Table(Rows("rows", "predicted vs measured", v.Rows), primary: true);
        b.Table(Rows("worst", $"worst {Math.Min(worst, v.Rows.Count)} rows", v.Worst(worst)));
        b.Table(ReportTable.Of("unpredicted", $"rows not predicted ({v.Unpredicted.Count})",
            [new("line", "line"), new("hardware", "hardware"), new("backend", "backend"), new("metric", "metric"), new("reason", "reason")],
            v.Unpredicted.Select(u => (IReadOnlyList<Cell>)[Cell.Count(u.Line), Cell.Text(u.Hardware), Cell.Text(u.Backend), Cell.Text(u.Metric), Cell.Text(u.Reason)])));
        foreach (var r in v.Rows.Where(r => r.Note is not null)) b.Note($"line {r.Row.Line}: {r.Note}");
        return b.Build();
    }

    static void Summary(ReportBuilder b, string key, string title, ValidationSummary s)
    {
        b.Section($"{title}: {s.Count} rows predicted, {s.Unpredicted} not")
            .Add($"{key}.count", "rows predicted", Cell.Count(s.Count))
            .Add($"{key}.unpredicted", "rows not predicted", Cell.Count(s.Unpredicted))
            .Add($"{key}.mape", "MAPE, all rows", Mape(s.Mape));
        foreach (var (m, st) in s.ByMetric)
            b.Add($"{key}.by_metric.{m}.count", $"{m}: rows", Cell.Count(st.Count)).Add($"{key}.by_metric.{m}.mape", $"{m}: MAPE", Mape(st.Mape));
        foreach (var (be, st) in s.ByBackend)
            b.Add($"{key}.by_backend.{be}.count", $"{be}: rows", Cell.Count(st.Count)).Add($"{key}.by_backend.{be}.mape", $"{be}: MAPE", Mape(st.Mape));
    }

    static Cell Mape(double v) => Cell.Quantity(v, Unit.Percent, "no row predicted");

    static Unit UnitOf(Metric m) => m is Metric.TtftS or Metric.TpotS ? Unit.Seconds : Unit.TokensPerSecond;

    static readonly Column[] RowColumns =
    [
        new("line", "line"), new("hardware", "hardware"), new("devices", "dev"), new("threads", "thr"), new("model", "model"),
        new("quant", "quant"), new("backend", "backend"), new("batch", "batch"), new("prompt_tokens", "prompt"), new("gen_tokens", "gen"),
        new("metric", "metric"), new("predicted", "predicted"), new("measured", "measured"), new("error", "error"),
    ];

    static ReportTable Rows(string key, string title, IEnumerable<ValidatedRow> rows) => ReportTable.Of(key, title, RowColumns,
        rows.Select(r => (IReadOnlyList<Cell>)
        [
            Cell.Count(r.Row.Line), Cell.Text(r.Row.Hardware), Cell.Count(r.Row.Devices),
            r.Row.Threads is { } t ? Cell.Count(t) : Cell.Missing("all cores"),
            Cell.Text(r.Row.Model), Cell.Text(r.Row.Quant), Cell.Text(r.Row.Backend),
            r.Row.Batch is { } bt ? Cell.Count(bt) : Cell.Missing("offline: largest batch that fits"),
            Cell.Count(r.Row.PromptTokens), Cell.Count(r.Row.GenTokens), Cell.Text(r.Row.Metric.Name()),
            Cell.Quantity(r.Predicted, UnitOf(r.Row.Metric)), Cell.Quantity(r.Measured, UnitOf(r.Row.Metric)),
            Cell.Quantity(r.ErrorPercent, Unit.Percent),
        ]));
}
