using PerfSim.Plots.Model;

namespace PerfSim.Plots.Charts;

/// <summary>One planner candidate as a plain record: what it is, what it costs, and its p99 latency. An adapter builds these from the planner's results.</summary>
public sealed record PlanPoint(string Label, double UsdPerMillionTokens, double P99Seconds);

/// <summary>The planner's candidates on cost vs p99 latency, with the Pareto front (no candidate both cheaper and faster) drawn through them.</summary>
public static class ParetoChart
{
    public const string Kind = "pareto";

    /// <summary>The candidates no other candidate dominates (cost ≤ and p99 ≤, one of them strictly), by rising p99.</summary>
    public static IReadOnlyList<PlanPoint> Front(IEnumerable<PlanPoint> candidates)
    {
        var front = new List<PlanPoint>();
        foreach (var c in candidates.OrderBy(c => c.P99Seconds).ThenBy(c => c.UsdPerMillionTokens))
            if (front.Count == 0 || c.UsdPerMillionTokens < front[^1].UsdPerMillionTokens) front.Add(c);
        return front;
    }

    /// <summary>Only the front is labelled: labels on every dominated candidate would cover the chart.</summary>
    public static Chart From(IReadOnlyList<PlanPoint> candidates, string title = "Planner: cost vs p99 latency", Axis? cost = null, Axis? latency = null)
    {
        if (candidates.Count == 0) throw new ArgumentException("pareto chart: no candidates");
        foreach (var c in candidates)
            if (!(c.UsdPerMillionTokens > 0) || !(c.P99Seconds > 0) || !double.IsFinite(c.UsdPerMillionTokens) || !double.IsFinite(c.P99Seconds))
                throw new ArgumentException($"pareto chart: candidate '{c.Label}' needs a positive finite cost and p99");
        var front = Front(candidates);
        var dominated = candidates.Except(front).ToList();
        return new Chart(Kind, title,
            latency ?? new Axis("p99 latency", "ms", Log: true),
            cost ?? new Axis("Cost", "USD per million tokens", Log: true),
            [
                new Series("dominated candidates", SeriesStyle.Markers, dominated.Select(c => new ChartPoint(c.P99Seconds * 1e3, c.UsdPerMillionTokens)).ToList(), Group: "dominated"),
                new Series("Pareto front", SeriesStyle.LineAndMarkers, front.Select(c => new ChartPoint(c.P99Seconds * 1e3, c.UsdPerMillionTokens, c.Label)).ToList(), Group: "front"),
            ]);
    }
}
