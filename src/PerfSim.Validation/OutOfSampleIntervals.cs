using PerfSim.Composition;
using PerfSim.Core.Uncertainty;
using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;

namespace PerfSim.Validation;

/// <summary>A row's 80 % interval, around the shown prediction and around its leave-one-device-out prediction.</summary>
public sealed record RowInterval(int Line, Bounds? Shown, Bounds? LeaveOneDeviceOut, double? LodoPredicted, IReadOnlyList<string> Reasons, string? Missing);

/// <summary>How often the leave-one-device-out intervals hold the measured value, overall and per metric and backend.</summary>
public sealed record Coverage(int Rows, int Covered)
{
    public double Share => Rows == 0 ? double.NaN : (double)Covered / Rows;
}

public sealed record IntervalCheck(IReadOnlyDictionary<int, RowInterval> ByLine, Coverage All,
    IReadOnlyDictionary<string, Coverage> ByMetric, IReadOnlyDictionary<string, Coverage> ByBackend);

/// <summary>
/// Residuals and intervals from a leave-one-device-out fit, the way `predict` uses them. Each row's interval is
/// computed out of sample: from the residuals and envelope of every other device (of its backend and regime, pooled
/// where too few), never from its own device's rows, so a row's interval knows nothing of its measurement. This is the
/// cross-validation+ construction (Barber, Candès, Ramdas, Tibshirani 2021, "Predictive inference with the jackknife+").
/// </summary>
public static class OutOfSampleIntervals
{
    /// <summary>The stage of a measured metric: TTFT belongs with prefill, TPOT with decode; any other metric is its own.</summary>
    public static string StageOf(Metric m) => m switch
    {
        Metric.PrefillTokensPerS or Metric.TtftS => Regime.Prefill,
        Metric.DecodeTokensPerS or Metric.TpotS => Regime.Decode,
        Metric.ThroughputTokensPerS => Regime.Throughput,
        _ => m.Name(),
    };

    public static Regime RegimeOf(ReferenceRow row) => new(StageOf(row.Metric), Regime.BatchClass(row.Batch));

    /// <summary>Every leave-one-device-out row as a residual, filed under `key` of its row (default: the reported backend).</summary>
    public static IReadOnlyList<Residual> Residuals(ValidationResult lodo, Func<ReferenceRow, string>? key = null) =>
        lodo.Rows.Where(r => r.Predicted > 0 && r.Measured > 0)
            .Select(r => new Residual((key ?? RowAliases.Reported)(r.Row), r.Row.Hardware, RegimeOf(r.Row), r.LogError)).ToList();

    /// <summary>
    /// The kernel family a row's backend belongs to: the backend a version declares `kernels_of` (vLLM 0.5 → vllm-cuda),
    /// else the backend itself. Versions of one family run the same device kernels and are fitted together, so their
    /// out-of-sample residuals and envelopes describe each other; a device measured under one version only then still
    /// has residuals of its family from the other devices.
    /// </summary>
    public static string Family(ProfileCatalog catalog, ReferenceRow row)
    {
        string id = RowAliases.Backend(row);
        return catalog.Backends.TryGetValue(id, out var b) && b.KernelsOf is { } k && catalog.Backends.ContainsKey(k) ? k : RowAliases.Reported(row);
    }

    /// <summary>The envelope point of a measured row, through the same composition as its prediction; null if it cannot compose.</summary>
    public static RequestPoint? PointOf(ProfileCatalog catalog, ReferenceRow row)
    {
        try
        {
            var c = Composer.Compose(catalog, Validator.RequestFor(row));
            return RequestPoints.Of(c.Deployment.Device, c.Workload, c.Deployment.Devices, row.Batch);
        }
        catch (Exception e) when (Validator.IsRowProblem(e)) { return null; }
    }

    /// <summary>Each backend's envelope from the rows it was predicted on (optionally without one device).</summary>
    public static IReadOnlyDictionary<string, CoverageEnvelope> Envelopes(IEnumerable<(ReferenceRow Row, RequestPoint Point)> rows, string? withoutDevice = null,
        Func<ReferenceRow, string>? key = null) =>
        rows.Where(r => r.Row.Hardware != withoutDevice).GroupBy(r => (key ?? RowAliases.Reported)(r.Row))
            .ToDictionary(g => g.Key, g => CoverageEnvelope.Of(g.Key, g.Select(r => r.Point).ToList()), StringComparer.Ordinal);

    /// <summary>What `perfsim fit` writes for `predict`: every residual of the fit, and every backend's full envelope.</summary>
    public static ResidualStatistics Statistics(ProfileCatalog catalog, FitResult fit, string source)
    {
        var points = Points(catalog, fit.LeaveOneDeviceOut);
        return new ResidualStatistics(ResidualTable.From(Residuals(fit.LeaveOneDeviceOut)), Envelopes(points), source);
    }

    static List<(ReferenceRow Row, RequestPoint Point)> Points(ProfileCatalog catalog, ValidationResult v) =>
        v.Rows.Select(r => (r.Row, PointOf(catalog, r.Row))).Where(t => t.Item2 is not null).Select(t => (t.Row, t.Item2!)).ToList();

    /// <summary>
    /// Intervals of the shown rows (`shown`: the validation as printed, in-sample or not) and of the leave-one-device-out
    /// rows, each from the residuals and envelopes of the other devices of its backend's kernel family
    /// (<see cref="Family"/>), and how often the latter cover the measurement.
    /// </summary>
    public static IntervalCheck Check(ProfileCatalog catalog, ValidationResult shown, ValidationResult lodo)
    {
        string Key(ReferenceRow r) => Family(catalog, r);
        var residuals = Residuals(lodo, Key);
        var points = Points(catalog, lodo);
        var pointByLine = points.ToDictionary(p => p.Row.Line, p => p.Point);
        var lodoByLine = lodo.Rows.ToDictionary(r => r.Row.Line);
        var perDevice = new Dictionary<string, (ResidualTable Table, IReadOnlyDictionary<string, CoverageEnvelope> Envelopes)>(StringComparer.Ordinal);
        var byLine = new Dictionary<int, RowInterval>();
        var covered = new List<(ReferenceRow Row, bool In)>();
        foreach (var row in shown.Rows.Select(r => r.Row).Concat(lodo.Rows.Select(r => r.Row)).DistinctBy(r => r.Line).OrderBy(r => r.Line))
        {
            if (!perDevice.TryGetValue(row.Hardware, out var stats))
                perDevice[row.Hardware] = stats = (ResidualTable.From(residuals.Where(r => r.Device != row.Hardware)), Envelopes(points, row.Hardware, Key));
            var point = pointByLine.TryGetValue(row.Line, out var pt) ? pt : PointOf(catalog, row);
            if (point is null || stats.Table.Groups.Count == 0)
            {
                byLine[row.Line] = new RowInterval(row.Line, null, null, null, [], point is null ? "the row cannot be composed" : "no residuals of any other device");
                continue;
            }
            var (extra, reasons) = IntervalModel.Widening(stats.Envelopes, Key(row), point);
            var spread = IntervalModel.Spread(stats.Table, Key(row), RegimeOf(row), extra);
            var shownRow = shown.Rows.FirstOrDefault(r => r.Row.Line == row.Line);
            double? lodoPredicted = lodoByLine.TryGetValue(row.Line, out var lr) ? lr.Predicted : null;
            var lodoBounds = lodoPredicted is { } lp ? spread?.Around(lp) : null;
            byLine[row.Line] = new RowInterval(row.Line, shownRow is not null ? spread?.Around(shownRow.Predicted) : null, lodoBounds, lodoPredicted,
                reasons, spread is null ? $"no residuals of stage {RegimeOf(row).Stage}" : null);
            if (lodoBounds is not null) covered.Add((row, lodoBounds.Contains(row.Value)));
        }
        static Coverage Of(IEnumerable<(ReferenceRow Row, bool In)> rs) { var l = rs.ToList(); return new Coverage(l.Count, l.Count(x => x.In)); }
        return new IntervalCheck(byLine, Of(covered),
            covered.GroupBy(c => c.Row.Metric.Name()).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Of(g), StringComparer.Ordinal),
            covered.GroupBy(c => RowAliases.Reported(c.Row)).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Of(g), StringComparer.Ordinal));
    }
}
