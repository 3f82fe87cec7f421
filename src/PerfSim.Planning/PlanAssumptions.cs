using PerfSim.Planning.Fleet;

namespace PerfSim.Planning;

/// <summary>Every assumption a plan rests on, stated once so reports print them.</summary>
public static class PlanAssumptions
{
    public static IReadOnlyList<string> Notes(PlanRequest r) =>
    [
        $"traffic: Poisson arrivals at {r.Traffic.RatePerSecond:G4} requests/s around the clock over {r.Assumptions.LifetimeYears:0.##} years; {r.Traffic.PromptTokens} prompt + {r.Traffic.GenTokens} generated tokens each",
        $"targets: p{r.Slo.Goodput * 100:0.##} TTFT ≤ {r.Slo.Ttft.Value:0.###} s and p{r.Slo.Goodput * 100:0.##} TPOT ≤ {r.Slo.Tpot.Value * 1000:0.#} ms; requests split evenly over replicas",
        "layouts: tensor parallel inside one server (pipeline/expert layouts arrive with the scale-out layout search)",
        "prices per component: device price from its profile (with its source), chassis and network ports assumed where no source exists; a system's own bundle price is not used",
        $"energy: modelled device power at the fleet's load + host at {ChassisAssumptions.HostLoadFraction:0.#} of its nameplate ({ChassisAssumptions.HostLoadWhy}); × PUE {r.Assumptions.Pue:0.##} × {r.Assumptions.UsdPerKwh:0.###} USD/kWh",
        $"racks: {r.RackKw:0.##} kW per rack at server nameplate; {ChassisAssumptions.SpaceWhy}",
        "cloud pricing: the device-hour price in the profile, power included; bought fleets: capital + energy (no staff, no facility rent)",
        "utilization: offered rate ÷ the rate at which the fleet saturates",
    ];
}
