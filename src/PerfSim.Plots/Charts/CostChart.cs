using PerfSim.Composition;
using PerfSim.Plots.Model;

namespace PerfSim.Plots.Charts;

/// <summary>Cost per million generated tokens across candidates; a candidate without a price is left out and noted.</summary>
public static class CostChart
{
    public const string Kind = "cost";

    public static Chart From(IReadOnlyList<ComposedPrediction> candidates)
    {
        if (candidates.Count == 0) throw new ArgumentException("cost chart: no predictions");
        var labels = Labels.Distinct(candidates);
        var priced = candidates.Select((c, i) => (c, Label: labels[i])).Where(x => x.c.Prediction.Cost is not null).ToList();
        var notes = candidates.Select((c, i) => (c, Label: labels[i])).Where(x => x.c.Prediction.Cost is null)
            .Select(x => $"{x.Label}: no price in the hardware profile").ToList();
        var values = priced.Select(x => x.c.Prediction.Cost!.UsdPerMillionTokens).ToList();
        bool log = values.Count > 1 && values.Min() > 0 && values.Max() / values.Min() > 100;
        var a = candidates[0].Prediction.Assumptions;
        notes.Add($"assumptions: pricing {a.Pricing.ToString().ToLowerInvariant()}, {a.LifetimeYears:0.##} years, {a.UsdPerKwh:0.###} USD/kWh, PUE {a.Pue:0.##}, utilization {a.FleetUtilization:0.##}");
        return new Chart(Kind,
            $"Cost per million tokens (batch {candidates[0].Prediction.Workload.Scenario.Batch})",
            new Axis("Candidate", ""),
            new Axis("Cost", "USD per million tokens", Log: log),
            [new Series("USD per million tokens", SeriesStyle.Bars, priced.Select((x, i) => new ChartPoint(i, x.c.Prediction.Cost!.UsdPerMillionTokens, x.Label)).ToList())],
            Categories: priced.Select(x => x.Label).ToList(),
            Notes: notes);
    }
}
