using PerfSim.Core.Units;

namespace PerfSim.Planning.Serving;

/// <summary>How the devices of one replica share the model. Only tensor parallelism inside a server for now.</summary>
public sealed record ReplicaLayout(int Tp = 1, int Pp = 1)
{
    public int Devices => Tp * Pp;
    public override string ToString() => Pp == 1 ? $"TP{Tp}" : $"TP{Tp}×PP{Pp}";
}

/// <summary>One replica: which hardware, quantization and layout, and the most sequences it batches at once.</summary>
public sealed record ReplicaSetup(string Hardware, string Quant, ReplicaLayout Layout, int BatchCap);

/// <summary>What a replica can do at all, unloaded: whether the model fits, the largest batch that fits, the latency floor.</summary>
public sealed record ReplicaCapability(bool Fits, int MaxBatch, Seconds UnloadedTtft, Seconds UnloadedTpot, string? Reason, IReadOnlyList<string> Notes);

/// <summary>
/// A replica at a steady offered rate: whether it keeps up, the latency quantile it achieves, the rate at which it
/// saturates, and the power it draws. `Method` names the model that produced it (analytic or simulated).
/// </summary>
public sealed record ReplicaOutcome(
    bool Stable,
    Seconds TtftQuantile,
    Seconds TpotQuantile,
    double MeanConcurrency,
    double EngineBusy,
    double SaturationRate,
    Watts Power,
    string Method);

/// <summary>
/// The latency/throughput model the planner searches with: first the engine's step costs under an analytic queue,
/// later the serving simulator. Implementations are deterministic for the same inputs.
/// </summary>
public interface IReplicaModel
{
    string Method { get; }
    ReplicaCapability Capability(string hardware, string quant, ReplicaLayout layout, Traffic shape);
    ReplicaOutcome Serve(ReplicaSetup setup, Traffic perReplica, double quantile);
}
