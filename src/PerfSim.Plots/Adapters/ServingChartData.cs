using PerfSim.Plots.Charts;
using PerfSim.Plots.Model;
using PerfSim.Plots.Studies;
using PerfSim.Serving;

namespace PerfSim.Plots.Adapters;

/// <summary>The serving simulator's results as chart data: one load point per run, and one run's time series.</summary>
public static class ServingChartData
{
    public static ServingLoadPoint LoadPoint(ServingResult r) =>
        new(r.RequestsPerSecond, r.TtftSeconds.P50, r.TtftSeconds.P99, r.TpotSeconds.P50, r.TpotSeconds.P99);

    /// <summary>TTFT/TPOT percentiles vs load, from runs at different offered loads (runs with no finished request are left out).</summary>
    public static Chart Load(IEnumerable<ServingResult> runs) =>
        ServingCharts.Load(runs.Where(r => r.TtftSeconds.Count > 0 && r.TpotSeconds.Count > 0).Select(LoadPoint).ToList());

    /// <summary>
    /// TTFT/TPOT percentiles vs the offered load of each run (the X axis is what was offered, not what completed, so a
    /// saturated run stays at its load); runs with no finished request are left out, and saturated runs are noted.
    /// </summary>
    public static Chart Load(IEnumerable<LoadRun> runs, string? title = null)
    {
        var list = runs.ToList();
        var done = list.Where(x => x.Result.TtftSeconds.Count > 0 && x.Result.TpotSeconds.Count > 0).ToList();
        if (done.Count == 0) throw new ArgumentException("serving-load chart: no run finished a request");
        var chart = ServingCharts.Load(done.Select(x => LoadPoint(x.Result) with { RequestsPerSecond = x.OfferedRequestsPerSecond }).ToList(),
            title ?? "Serving: latency percentiles vs load");
        var notes = new List<string>();
        foreach (var x in list)
        {
            string rate = x.OfferedRequestsPerSecond.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            if (!done.Contains(x)) notes.Add($"{rate} requests/s: no request finished in the window (left out)");
            else if (x.Result.Saturated) notes.Add($"{rate} requests/s: saturated ({x.Result.SaturationReason ?? "queue grows"})");
        }
        return chart with { Notes = notes };
    }

    /// <summary>KV-cache occupancy and the running batch (interval means) over one run.</summary>
    public static Chart Timeline(ServingResult run) =>
        ServingCharts.Timeline(run.TimeSeries.Select(p => new ServingTimePoint(p.TimeSeconds, p.KvOccupancy, p.RunningBatch)).ToList());
}
