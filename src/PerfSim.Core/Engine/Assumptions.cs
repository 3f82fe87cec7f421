namespace PerfSim.Core.Engine;

public enum Pricing { Auto, Purchase, Cloud }

/// <summary>
/// Economic and modelling assumptions. Every one is a CLI option with this default and is printed in the report.
/// </summary>
public sealed record Assumptions(
    double LifetimeYears = 4,
    double UsdPerKwh = 0.12,
    double Pue = 1.3,
    double FleetUtilization = 0.6,
    Pricing Pricing = Pricing.Auto,
    double CacheUsableFraction = 0.9,
    double CommunicationOverlap = 0,
    double ExpertImbalance = 1.2,
    Power.PowerParameterSet? Power = null,
    bool SustainedPower = false)
{
    /// <summary>The power-model parameters: the shipped per-class set unless a fit (a leave-one-device-out fold) gives its own.</summary>
    public Power.PowerParameterSet PowerParameters => Power ?? Engine.Power.PowerParameterSet.Defaults;

    public static readonly Assumptions Default = new();

    /// <summary>Why each default is what it is (printed with the report).</summary>
    public static IReadOnlyList<(string Name, string Why)> Notes { get; } =
    [
        ("lifetime", "default 4 years of amortisation: a typical accelerator depreciation period"),
        ("electricity", "default 0.12 USD/kWh: a typical industrial tariff"),
        ("pue", "default PUE 1.3: a typical data-centre power usage effectiveness"),
        ("fleet utilization", "default 0.6 of hours serving paid work; idle hours still cost"),
        ("cache usable fraction", "0.9 of a cache level can hold the per-step working set"),
        ("communication overlap", "default 0: tensor-parallel all-reduces sit on the critical path of each layer (serving stacks do not overlap them in decode); 1 hides collectives behind compute where the compute is longer"),
        ("sustained power", "default off: a benchmark burst runs at the device's peak power (TDP), which the fitted speed efficiencies already hold; on, a device with a sustained limit below its TDP (a phone, a thin laptop) lowers its clock to meet it"),
        ("expert imbalance", "default 1.2 (assumed): with experts split over devices the busiest device gets 1.2 × the mean routed tokens (routing is uneven without expert load balancing)"),
    ];
}
