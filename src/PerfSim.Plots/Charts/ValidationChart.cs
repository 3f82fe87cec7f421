using PerfSim.Data.Measurements;
using PerfSim.Plots.Model;
using PerfSim.Validation;

namespace PerfSim.Plots.Charts;

/// <summary>
/// Predicted vs measured from `validate`, log-log, one series per backend, the y = x line and the error band of
/// ± the plotted rows' MAPE. Rates (tokens/s) and times (s) are different units, so one chart shows one kind.
/// </summary>
public static class ValidationChart
{
    public const string Kind = "validation";

    public static readonly IReadOnlyList<Metric> Rates = [Metric.PrefillTokensPerS, Metric.DecodeTokensPerS, Metric.ThroughputTokensPerS];
    public static readonly IReadOnlyList<Metric> Times = [Metric.TtftS, Metric.TpotS];

    public static Chart From(ValidationResult result, IReadOnlyList<Metric>? metrics = null, string? source = null)
    {
        metrics ??= Rates;
        bool times = metrics.All(m => Times.Contains(m));
        if (!times && metrics.Any(m => Times.Contains(m))) throw new ArgumentException("validation chart: rates (tokens/s) and times (s) cannot share one axis");
        var rows = result.Rows.Where(r => metrics.Contains(r.Row.Metric)).ToList();
        if (rows.Count == 0) throw new ArgumentException($"validation chart: no predicted rows for {string.Join(", ", metrics.Select(m => m.Name()))}");
        double mape = rows.Average(r => Math.Abs(r.ErrorPercent));
        var series = rows.GroupBy(r => r.Row.Backend, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Series($"{g.Key} ({g.Count()})", SeriesStyle.Markers,
                g.Select(r => new ChartPoint(r.Measured, r.Predicted)).ToList(), Group: g.Key))
            .ToList();
        double lo = rows.Min(r => Math.Min(r.Measured, r.Predicted)) / 1.5, hi = rows.Max(r => Math.Max(r.Measured, r.Predicted)) * 1.5;
        series.Add(new Series("predicted = measured", SeriesStyle.Line, [new(lo, lo), new(hi, hi)], Muted: true));
        series.Add(new Series($"+{mape:0.#}% (MAPE)", SeriesStyle.DashedLine, [new(lo, lo * (1 + mape / 100)), new(hi, hi * (1 + mape / 100))], Muted: true));
        if (mape < 100)
            series.Add(new Series($"−{mape:0.#}% (MAPE)", SeriesStyle.DashedLine, [new(lo, lo * (1 - mape / 100)), new(hi, hi * (1 - mape / 100))], Muted: true));
        string unit = times ? "s" : "tokens/s";
        return new Chart(Kind,
            $"Predicted vs measured, {(times ? "times" : "rates")} ({rows.Count} rows, MAPE {mape:0.#}%)",
            new Axis("Measured", unit, Log: true),
            new Axis("Predicted", unit, Log: true),
            series,
            Notes: [$"metrics: {string.Join(", ", metrics.Select(m => m.Name()))}", .. source is null ? Array.Empty<string>() : [$"measurements: {source}"]]);
    }
}
