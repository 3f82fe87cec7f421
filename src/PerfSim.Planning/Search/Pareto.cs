namespace PerfSim.Planning.Search;

/// <summary>Cost against p-quantile latency over every feasible fleet evaluated: the data for a cost–latency plot.</summary>
public static class Pareto
{
    public static IReadOnlyList<ParetoPoint> Of(IEnumerable<FleetOption> options)
    {
        var points = options.Where(o => o.Feasible)
            .Select(o => (o, tco: o.Money!.TcoUsd, ttft: o.Outcome.TtftQuantile.Value, tpot: o.Outcome.TpotQuantile.Value))
            .OrderBy(p => p.tco).ThenBy(p => p.ttft).ToList();
        bool Dominated(double tco, double lat, Func<(FleetOption o, double tco, double ttft, double tpot), double> latency) =>
            points.Any(q => q.tco <= tco && latency(q) <= lat && (q.tco < tco || latency(q) < lat));
        return points.Select(p => new ParetoPoint(p.o.Candidate, p.o.Setup.Quant, p.o.Setup.Layout.ToString(), p.o.Setup.BatchCap, p.o.Shape!.Devices,
            p.tco, p.ttft, p.tpot, !Dominated(p.tco, p.ttft, q => q.ttft), !Dominated(p.tco, p.tpot, q => q.tpot))).ToList();
    }
}
