using PerfSim.Planning.Fleet;
using PerfSim.Planning.Serving;

namespace PerfSim.Planning.Search;

/// <summary>
/// One fleet the search evaluated: a replica setup, how many replicas, what that fleet is and costs, and whether it
/// is feasible (with the reason when not). `Outcome` is the replica at its share of the rate.
/// </summary>
public sealed record FleetOption(
    string Candidate,
    ReplicaSetup Setup,
    long Replicas,
    double SloRatePerReplica,
    ReplicaOutcome Outcome,
    FleetShape? Shape,
    FleetMoney? Money,
    bool Feasible,
    string? Reason,
    bool Confirmed)
{
    /// <summary>The highest total rate this fleet serves within the targets (the headroom).</summary>
    public double HeadroomRate => Replicas * SloRatePerReplica;
    /// <summary>The total rate at which the fleet saturates (targets ignored).</summary>
    public double SaturationRate => Replicas * Outcome.SaturationRate;
    /// <summary>Offered load ÷ the rate at which the fleet saturates.</summary>
    public double Utilization(double rate) => SaturationRate > 0 ? rate / SaturationRate : 0;
}

/// <summary>The answer for one candidate: its cheapest feasible fleet, or why there is none.</summary>
public sealed record CandidatePlan(string Candidate, string Name, string Vendor, bool Feasible, string? Reason, FleetOption? Fleet, int Evaluated, IReadOnlyList<string> Notes);

/// <summary>One feasible fleet on the cost–latency plane, flagged when no other fleet is both cheaper and faster.</summary>
public sealed record ParetoPoint(string Candidate, string Quant, string Layout, int BatchCap, long Devices, double TcoUsd, double TtftSeconds, double TpotSeconds,
    bool OnTtftFront, bool OnTpotFront);

public sealed record PlanResult(
    PlanRequest Request,
    CandidatePlan? Best,
    IReadOnlyList<CandidatePlan> Candidates,
    IReadOnlyList<FleetOption> Evaluated,
    IReadOnlyList<ParetoPoint> Pareto,
    string ScreenMethod,
    string ConfirmMethod,
    IReadOnlyList<string> Assumptions);
