using PerfSim.Core.Engine;

namespace PerfSim.Serving;

public enum StepPriority { DecodeFirst, PrefillFirst }
public enum Preemption { Recompute, Swap }
public enum Routing { RoundRobin, LeastOutstanding }
public enum ReplicaRole { Unified, Prefill, Decode }

/// <summary>
/// The scheduler of one server (vLLM-style continuous batching). Defaults are vLLM's: max_num_seqs 256,
/// max_num_batched_tokens 8192 with chunked prefill, decode requests scheduled before prefill chunks, 16-token KV
/// blocks, 90 % of device memory for weights + KV (gpu_memory_utilization 0.9), preemption by recomputation
/// (vLLM V1 engine docs, "Optimization and Tuning"; assumed to hold for other servers unless stated).
/// </summary>
public sealed record SchedulerOptions(
    int MaxRunningBatch = 256,
    int MaxTokensPerStep = 8192,
    bool ChunkedPrefill = true,
    StepPriority Priority = StepPriority.DecodeFirst,
    int BlockTokens = 16,
    double MemoryUtilization = 0.9,
    Preemption Preemption = Preemption.Recompute,
    long? KvCapacityTokens = null);

/// <summary>One server: a deployment's step cost, its role, and its scheduler.</summary>
public sealed record ReplicaSpec(StepCost Cost, SchedulerOptions Scheduler, ReplicaRole Role = ReplicaRole.Unified, string? Name = null);

/// <summary>The link that carries a request's KV cache from a prefill server to a decode server.</summary>
public sealed record KvLink(double BytesPerSecond, double LatencySeconds, string Description);

/// <summary>
/// Servers behind a router. Unified replicas do prefill and decode; with disaggregation, prefill replicas hand each
/// request's KV cache over `Link` to a decode replica (chosen by the same routing policy).
/// Economics: <see cref="Assumptions"/> of each replica's step cost (price, electricity, PUE).
/// </summary>
public sealed record ServingConfig(IReadOnlyList<ReplicaSpec> Replicas, Routing Routing = Routing.LeastOutstanding, KvLink? Link = null)
{
    public static ServingConfig Single(StepCost cost, SchedulerOptions? scheduler = null) => new([new ReplicaSpec(cost, scheduler ?? new SchedulerOptions())]);

    public bool Disaggregated => Replicas.Any(r => r.Role != ReplicaRole.Unified);
}

/// <summary>Run options: the seed, latency targets for goodput, time-series resolution, and a progress callback (fraction done).</summary>
public sealed record ServingOptions(
    long Seed = 1,
    double? TtftSloSeconds = null,
    double? TpotSloSeconds = null,
    int TimeSeriesPoints = 60,
    double? MaxDrainSeconds = null,
    Action<double>? Progress = null);
