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
    double CacheUsableFraction = 0.9)
{
    public static readonly Assumptions Default = new();

    /// <summary>Why each default is what it is (printed with the report).</summary>
    public static IReadOnlyList<(string Name, string Why)> Notes { get; } =
    [
        ("lifetime", "purchase price amortised over 4 years: a typical accelerator depreciation period (assumed)"),
        ("electricity", "0.12 USD/kWh: a typical industrial tariff (assumed)"),
        ("pue", "1.3: a typical data-centre power usage effectiveness (assumed)"),
        ("fleet utilization", "0.6: share of hours the hardware serves paid work; idle hours still cost (assumed)"),
        ("cache usable fraction", "0.9 of a cache level can hold the per-step working set (assumed)"),
    ];
}
