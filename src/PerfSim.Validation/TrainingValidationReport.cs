using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;

namespace PerfSim.Validation;

/// <summary>
/// A training validation as a report, in the inference validation's JSON shape: `summary.by_metric.&lt;metric&gt;.mape`
/// (grouped also `by_hardware`, `by_source`, and `megatron_papers`: Narayanan 2021 + Korthikanti 2022), `rows[]`,
/// `worst[]`, `unpredicted[]` with reasons, `error_by_group[]`; with a fit, the fitted values and the
/// leave-one-device-out and leave-one-source-out errors beside the in-sample one.
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
            b.Section("fit: one GEMM efficiency per device class (hardware × 16-bit or FP8 matmuls)");
            foreach (var (cls, eff) in fit.Efficiency) b.Add($"fit.{cls.Replace(' ', '_')}.gemm_efficiency", cls, Cell.Number(eff));
            Summary(b, "fitted", "error with the fitted efficiencies (in-sample)", fit.InSample);
            Summary(b, "leave_one_device_out", "error with one efficiency fitted on the other devices (leave-one-device-out)", fit.LeaveOneDeviceOut);
            Summary(b, "leave_one_source_out", "error with efficiencies fitted without the row's source (leave-one-source-out)", fit.LeaveOneSourceOut);
        }
        b.Table(SideBySide(v, fit));
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
        foreach (var (src, st) in s.BySource)
            b.Add($"{key}.by_source.{SourceKey(src)}.count", $"{src}: rows", Cell.Count(st.Count)).Add($"{key}.by_source.{SourceKey(src)}.mape", $"{src}: MAPE", Mape(st.Mape));
        b.Add($"{key}.megatron_papers.count", "Megatron-LM papers (Narayanan 2021, Korthikanti 2022): rows", Cell.Count(s.MegatronPapers.Count))
            .Add($"{key}.megatron_papers.mape", "Megatron-LM papers: MAPE (Calculon's bar: 3.65 %)", Mape(s.MegatronPapers.Mape));
    }

    /// <summary>Every grouping's error side by side: unfitted, and with a fit in-sample, leave-one-device-out, leave-one-source-out.</summary>
    static ReportTable SideBySide(TrainingValidationResult v, TrainingFit? fit)
    {
        var cols = new List<Column> { new("group", "group"), new("rows", "rows"), new("unfitted", "unfitted") };
        if (fit is not null) cols.AddRange([new("in_sample", "fitted, in-sample"), new("lodo", "leave-one-device-out"), new("loso", "leave-one-source-out")]);
        var rows = new List<IReadOnlyList<Cell>>();
        void Add(string name, Func<TrainingValidationResult, ErrorStats?> pick)
        {
            var u = pick(v);
            if (u is null) return;
            var cells = new List<Cell> { Cell.Text(name), Cell.Count(u.Count), Mape(u.Mape) };
            if (fit is not null)
                foreach (var r in new[] { fit.InSample, fit.LeaveOneDeviceOut, fit.LeaveOneSourceOut })
                    cells.Add(pick(r) is { } st ? Mape(st.Mape) : Cell.Missing("no row"));
            rows.Add(cells);
        }
        Add("all rows", r => new ErrorStats(r.Count, r.Mape));
        Add("Megatron-LM papers (Narayanan 2021 + Korthikanti 2022)", r => r.MegatronPapers);
        foreach (var m in v.ByMetric.Keys) Add($"metric {m}", r => r.ByMetric.GetValueOrDefault(m));
        foreach (var src in v.BySource.Keys) Add($"source {src}", r => r.BySource.GetValueOrDefault(src));
        foreach (var hw in v.ByHardware.Keys) Add($"hardware {hw}", r => r.ByHardware.GetValueOrDefault(hw));
        return ReportTable.Of("error_by_group", "MAPE by group" + (fit is null ? " (--fit-training adds the fitted columns)" : ""), cols, rows);
    }

    /// <summary>A source as a JSON key: letters and digits, the rest one underscore ("Narayanan_et_al_2021", "mlcommons_training_results_v3_1").</summary>
    public static string SourceKey(string source) => System.Text.RegularExpressions.Regex.Replace(source, "[^A-Za-z0-9]+", "_").Trim('_');

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
