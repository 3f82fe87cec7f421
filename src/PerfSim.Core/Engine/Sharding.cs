using PerfSim.Core.Workloads;

namespace PerfSim.Core.Engine;

/// <summary>
/// What one device of a layout holds and computes. `Tp` splits heads and matrix columns/rows. `KvShards`: how many
/// ways the KV cache is split — Tp when the KV heads divide by it; the KV-head count when Tp is larger (each KV head is
/// replicated on Tp ÷ KV heads devices); 1 for an MLA latent cache (shared by every head, so replicated under TP).
/// `ExpertShards`: ways the routed experts are split (Tp, or Ep across replicas). `ExpertImbalance` multiplies the
/// busiest device's routed tokens when experts are split over devices.
/// </summary>
public sealed record Sharding(int Tp, int KvShards, int Ep, bool ExpertsAcrossReplicas, double ExpertImbalance)
{
    public static Sharding Of(Layout layout, ModelArchitecture a, double expertImbalance) => new(
        layout.Tp, KvShardsFor(a, layout.Tp), layout.Ep, layout.ExpertsAcrossReplicas && a.Moe is not null,
        a.Moe is not null && layout.Ep > 1 ? expertImbalance : 1);

    /// <summary>Plain tensor parallelism over `tp` devices (the KV rules still apply).</summary>
    public static Sharding Tensor(ModelArchitecture a, int tp) => new(tp, KvShardsFor(a, tp), 1, false, 1);

    public static int KvShardsFor(ModelArchitecture a, int tp) =>
        a.Mla is not null ? 1 : a.KvHeads % tp == 0 ? tp : Math.Min(tp, a.KvHeads);

    /// <summary>Ways the routed experts' weights are split over devices.</summary>
    public int ExpertShards => ExpertsAcrossReplicas ? Ep : Tp;

    /// <summary>True when KV is stored more than once across the tensor-parallel group.</summary>
    public bool KvReplicated => KvShards < Tp;
}
