using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;

namespace PerfSim.Validation;

/// <summary>
/// A training validation as a report, in the inference validation's JSON shape: `summary.by_metric.&lt;metric&gt;.mape`
/// (grouped also `by_hardware`), `rows[]`, `worst[]`, `unpredicted[]` with reasons; with a fit, the fitted values and
/// the leave-one-source-out error beside the in-sample one.
/// </summary>
public static class TrainingValidationReport
{
    public static Report Build(string reference, TrainingValidationResult v, int worst = 5, TrainingFit? fit = null)
    {
        var b = new ReportBuilder($"PerfSim training validation: {reference}");
        b.Section("reference").Add("reference", "measurement file", Cell.Text(reference)).Add("schema", "schema", Cell.Text("training"))
            .Add("in_sample", "parameters fitted on this file (error is in-sample)", Cell.Bool(false));
        Summary(b, "summary", "error (no fitted parameter: hardware profiles' assumed efficiencies)", v);
        if (fit is not null)
        {
            b.Section("fit: one GEMM efficiency per device class");
            foreach (var (hw, eff) in fit.Efficiency) b.Add($"fit.{hw}.gemm_efficiency", hw, Cell.Number(eff));
            Summary(b, "fitted", "error with the fitted efficiencies (in-sample)", fit.InSample);
            Summary(b, "leave_one_source_out", "error with efficiencies fitted without the row's source (leave-one-source-out)", fit.LeaveOneSourceOut);
        }
        b.Table(Rows("rows", "predicted vs measured", v.Rows), primary: true);
        b.Table(Rows("worst", $"worst {Math.Min(worst, v.Rows.Count)} rows", v.Worst(worst)));
        b.Table(ReportTable.Of("unpredicted", $"rows not predicted ({v.Unpredicted.Count})",
            [new("line", "line"), new("hardware", "hardware"), new("metric", "metric"), new("reason", "reason")],
            v.Unpredicted.Select(u => (IReadOnlyList<Cell>)[Cell.Count(u.Line), Cell.Text(u.Hardware), Cell.Text(u.Metric), Cell.Text(u.Reason)])));
        foreach (var r in v.Rows.Where(r => r.Note is not null)) b.Note($"line {r.Row.Line}: {r.Note}");
        return b.Build();
    }

    static void Summary(ReportBuilder b, string key, string title, TrainingValidationResult s)
    {
        b.Section($"{title}: {s.Count} rows predicted, {s.Unpredicted.Count} not")
            .Add($"{key}.count", "rows predicted", Cell.Count(s.Count))
            .Add($"{key}.unpredicted", "rows not predicted", Cell.Count(s.Unpredicted.Count))
            .Add($"{key}.mape", "MAPE, all rows", Mape(s.Mape));
        foreach (var (m, st) in s.ByMetric)
            b.Add($"{key}.by_metric.{m}.count", $"{m}: rows", Cell.Count(st.Count)).Add($"{key}.by_metric.{m}.mape", $"{m}: MAPE", Mape(st.Mape));
        foreach (var (hw, st) in s.ByHardware)
            b.Add($"{key}.by_hardware.{hw}.count", $"{hw}: rows", Cell.Count(st.Count)).Add($"{key}.by_hardware.{hw}.mape", $"{hw}: MAPE", Mape(st.Mape));
    }

    static Cell Mape(double v) => Cell.Quantity(v, Unit.Percent, "no row predicted");

    static readonly Column[] RowColumns =
    [
        new("line", "line"), new("hardware", "hardware"), new("devices", "dev"), new("model", "model"), new("layout", "layout"),
        new("metric", "metric"), new("predicted", "predicted"), new("measured", "measured"), new("error", "error"),
    ];

    static Cell Value(string metric, double v) => metric switch
    {
        "iteration_s" => Cell.Quantity(v, Unit.Seconds),
        "device_hours" => Cell.Quantity(v, Unit.Hours),
        "mfu" => Cell.Ratio(v),
        _ => Cell.Number(v),
    };

    static ReportTable Rows(string key, string title, IEnumerable<TrainingValidatedRow> rows) => ReportTable.Of(key, title, RowColumns,
        rows.Select(r => (IReadOnlyList<Cell>)
        [
            Cell.Count(r.Row.Line), Cell.Text(r.Row.Hardware), r.Row.Devices is { } d ? Cell.Count(d) : Cell.Missing("not given"),
            Cell.Text(r.Row.Model), Cell.Text(r.Layout), Cell.Text(r.Row.Metric),
            Value(r.Row.Metric, r.Predicted), Value(r.Row.Metric, r.Measured), Cell.Quantity(r.ErrorPercent, Unit.Percent),
        ]));
}
