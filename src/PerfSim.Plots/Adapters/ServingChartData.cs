using PerfSim.Plots.Charts;
using PerfSim.Plots.Model;
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

    /// <summary>KV-cache occupancy and the running batch (interval means) over one run.</summary>
    public static Chart Timeline(ServingResult run) =>
        ServingCharts.Timeline(run.TimeSeries.Select(p => new ServingTimePoint(p.TimeSeconds, p.KvOccupancy, p.RunningBatch)).ToList());
}
