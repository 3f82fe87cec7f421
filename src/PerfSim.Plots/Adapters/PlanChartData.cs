using PerfSim.Planning.Search;
using PerfSim.Plots.Charts;
using PerfSim.Plots.Model;

namespace PerfSim.Plots.Adapters;

/// <summary>The planner's feasible fleets as chart points: total cost of ownership against the planner's TTFT at its goodput quantile.</summary>
public static class PlanChartData
{
    public static IReadOnlyList<PlanPoint> Points(PlanResult plan) =>
        plan.Pareto.Select(p => new PlanPoint($"{p.Candidate} {p.Quant} {p.Layout} b{p.BatchCap} ×{p.Devices}", p.TcoUsd, p.TtftSeconds)).ToList();

    /// <summary>Cost vs p99 TTFT with the Pareto front. The cost is the fleet's TCO over the planning lifetime (the planner's own figure).</summary>
    public static Chart Pareto(PlanResult plan)
    {
        if (plan.Pareto.Count == 0) throw new ArgumentException("pareto chart: the plan has no feasible fleet to draw");
        return ParetoChart.From(Points(plan), "Planner: fleet TCO vs p99 TTFT", new Axis("Total cost of ownership", "USD", Log: true), new Axis("TTFT at the goodput quantile", "ms", Log: true));
    }
}
