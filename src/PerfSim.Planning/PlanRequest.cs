using PerfSim.Core.Engine;
using PerfSim.Core.Units;

namespace PerfSim.Planning;

/// <summary>Offered traffic: Poisson arrivals at a rate, each request a prompt and a number of generated tokens.</summary>
public sealed record Traffic(double RatePerSecond, int PromptTokens, int GenTokens)
{
    public Traffic Scaled(double factor) => this with { RatePerSecond = RatePerSecond * factor };
}

/// <summary>Latency targets met by the `Goodput` share of requests (0.99: the p99).</summary>
public sealed record Slo(Seconds Ttft, Seconds Tpot, double Goodput = 0.99);

/// <summary>How the fleet is paid for: bought (capital + energy) or rented by the device-hour.</summary>
public enum PlanPricing { Auto, Purchase, Cloud }

/// <summary>
/// One procurement question: serve `Model` to `Traffic` within `Slo`, choosing among `Candidates` (hardware IDs:
/// devices or systems), the allowed quantizations, layouts, batch caps and replica counts.
/// </summary>
public sealed record PlanRequest
{
    public required string Model { get; init; }
    public required Traffic Traffic { get; init; }
    public required Slo Slo { get; init; }
    public required IReadOnlyList<string> Candidates { get; init; }
    /// <summary>Quantization scheme IDs the search may use.</summary>
    public IReadOnlyList<string> Quants { get; init; } = ["fp16"];
    /// <summary>Power a rack may draw (kW): sets how many servers share a rack.</summary>
    public double RackKw { get; init; } = 20;
    /// <summary>Largest spend allowed (capital for a bought fleet, the rental over the lifetime for a rented one); null: no limit.</summary>
    public Usd? Budget { get; init; }
    public PlanPricing Pricing { get; init; } = PlanPricing.Auto;
    /// <summary>Lifetime, electricity price and PUE (the fleet-utilization field is not used: the plan computes it).</summary>
    public Assumptions Assumptions { get; init; } = Assumptions.Default;
    /// <summary>Batch caps tried per replica (powers of two up to what fits in memory, by default).</summary>
    public IReadOnlyList<int>? BatchCaps { get; init; }
    /// <summary>Cheapest options per candidate confirmed by the confirming model (the simulator when available).</summary>
    public int ShortList { get; init; } = 3;
}
