using PerfSim.Plots.Model;

namespace PerfSim.Plots.Charts;

/// <summary>Latency percentiles of one serving run at one offered load (plain record; an adapter builds it from the serving simulator).</summary>
public sealed record ServingLoadPoint(double RequestsPerSecond, double TtftP50Seconds, double TtftP99Seconds, double TpotP50Seconds, double TpotP99Seconds);

/// <summary>The server's state at one instant of a run: KV-cache occupancy (0–1 of its capacity) and the running batch (interval means).</summary>
public sealed record ServingTimePoint(double TimeSeconds, double KvOccupancy, double Batch);

/// <summary>The serving simulator's charts: tail latency vs load, and KV occupancy and batch over time.</summary>
public static class ServingCharts
{
    public const string LoadKind = "serving-load";
    public const string TimelineKind = "serving-timeline";

    public static Chart Load(IReadOnlyList<ServingLoadPoint> runs, string title = "Serving: latency percentiles vs load")
    {
        if (runs.Count == 0) throw new ArgumentException("serving-load chart: no runs");
        var r = runs.OrderBy(x => x.RequestsPerSecond).ToList();
        Series S(string name, Func<ServingLoadPoint, double> seconds, string group) =>
            new(name, SeriesStyle.LineAndMarkers, r.Select(x => new ChartPoint(x.RequestsPerSecond, seconds(x) * 1e3)).ToList(), Group: group);
        return new Chart(LoadKind, title,
            new Axis("Offered load", "requests/s"),
            new Axis("Latency", "ms", Log: true),
            [S("TTFT p50", x => x.TtftP50Seconds, "ttft"), S("TTFT p99", x => x.TtftP99Seconds, "ttft"),
             S("TPOT p50", x => x.TpotP50Seconds, "tpot"), S("TPOT p99", x => x.TpotP99Seconds, "tpot")]);
    }

    public static Chart Timeline(IReadOnlyList<ServingTimePoint> samples, string title = "Serving: KV-cache occupancy and batch over time")
    {
        if (samples.Count == 0) throw new ArgumentException("serving-timeline chart: no samples");
        var s = samples.OrderBy(x => x.TimeSeconds).ToList();
        return new Chart(TimelineKind, title,
            new Axis("Time", "s"),
            new Axis("KV-cache occupancy", "%"),
            [
                new Series("KV-cache occupancy (%)", SeriesStyle.Line, s.Select(x => new ChartPoint(x.TimeSeconds, x.KvOccupancy * 100)).ToList()),
                new Series("running batch", SeriesStyle.Line, s.Select(x => new ChartPoint(x.TimeSeconds, x.Batch)).ToList(), RightAxis: true),
            ],
            Y2: new Axis("Batch", "sequences"));
    }
}
