using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Plots.Model;

namespace PerfSim.Plots.Charts;

/// <summary>Energy per decode token, stacked: arithmetic, data movement per memory level, links, static power × time, the active baseline.</summary>
public static class EnergyChart
{
    public const string Kind = "energy";

    public static Chart From(IReadOnlyList<ComposedPrediction> candidates)
    {
        if (candidates.Count == 0) throw new ArgumentException("energy chart: no predictions");
        var parts = candidates.Select(c => c.Prediction.Energy.DecodePerToken).ToList();
        var levels = parts.SelectMany(e => e.DataMovement.Keys).Distinct(StringComparer.Ordinal).ToList();
        Series Stack(string name, Func<EnergyBreakdown, double> joules) =>
            new(name, SeriesStyle.StackedBars, parts.Select((e, i) => new ChartPoint(i, joules(e) * 1e3)).ToList());
        var series = new List<Series> { Stack("arithmetic", e => e.Arithmetic.Value) };
        foreach (var level in levels)
            series.Add(Stack($"data movement: {level}", e => e.DataMovement.TryGetValue(level, out var j) ? j.Value : 0));
        series.Add(Stack("links", e => e.Links.Value));
        series.Add(Stack("static (idle power × time)", e => e.Static.Value));
        // The power a busy device draws above idle before any work is counted (clocks, leakage, fabric awake).
        series.Add(Stack("active baseline (busy clocks × time)", e => e.ActiveBaseline.Value));
        var s = candidates[0].Prediction.Workload.Scenario;
        return new Chart(Kind,
            $"Energy per decode token (batch {s.Batch}, prompt {s.PromptTokens}, gen {s.GeneratedTokens})",
            new Axis("Candidate", ""),
            new Axis("Energy per token", "mJ"),
            series,
            Categories: Labels.Distinct(candidates));
    }
}
