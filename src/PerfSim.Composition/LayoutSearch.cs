using PerfSim.Core.Backends;
using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;
using PerfSim.Core.Workloads;
using PerfSim.Data.Catalog;

namespace PerfSim.Composition;

/// <summary>
/// The one layout search every path uses (`predict`, `validate`, the offline best-throughput split, the planner):
/// candidates from <see cref="LayoutChoice"/>, each resolved and predicted, the first that fits (or the fastest,
/// offline) kept, and what was chosen written into the notes.
/// </summary>
public sealed class LayoutSearch(ProfileCatalog catalog, PredictionRequest request, BackendProfile? backend, EngineKind? engineKind,
    ExecutionModel? exec, Assumptions assumptions, ModelProfile model, int available)
{
    readonly bool hasLink = DeploymentResolver.HasLink(catalog, request.Hardware);
    readonly int perNode = catalog.GetHardware(request.Hardware).System?.Count ?? available;
    LayoutRequest Asked => request.Layout ?? new LayoutRequest();

    Deployment Resolve(Layout l) => DeploymentResolver.Resolve(catalog, request.Hardware, l, engineKind, request.Threads, backend);
    Prediction Predict(Deployment d, Workload w) => InferenceEngine.Predict(d, w, exec ?? ExecutionModel.Ideal(d.Engine), assumptions);
    string? Problem(Layout l) => LayoutChoice.Problem(l, model, backend, available, request.Hardware, hasLink);

    /// <summary>The layouts to try, in preference order (smallest model-parallel group first).</summary>
    IEnumerable<Layout> Candidates()
    {
        var r = Asked;
        int ep = r.Ep ?? 1;
        if (r.ModelParallelGiven)
        {
            int tp = r.Tp ?? 1, pp = r.Pp ?? 1;
            yield return new Layout(tp, pp, ep, r.Dp ?? Math.Max(1, available / (tp * pp)));
            yield break;
        }
        var groups = r.Dp is { } dp ? (available % dp == 0 ? [available / dp] : [Math.Max(1, available / dp)]) : LayoutChoice.GroupSizes(available);
        foreach (int g in groups)
            foreach (var (tp, pp) in LayoutChoice.Splits(g, perNode, backend))
                yield return new Layout(tp, pp, ep, r.Dp ?? available / g);
    }

    /// <summary>The layout for a latency/throughput what-if at the scenario's batch.</summary>
    public (Deployment Deployment, Layout Layout) Choose(Workload w, List<string> notes)
    {
        string? firstProblem = null;
        (Deployment D, Layout L)? fallback = null;
        foreach (var l in Candidates())
        {
            if (Problem(l) is { } why) { firstProblem ??= why; continue; }
            var d = Resolve(l);
            var p = Predict(d, w);
            if (p.Memory.Fits || Asked.ModelParallelGiven)
            {
                Describe(l, p, notes, chosen: !Asked.ModelParallelGiven);
                return (d, l);
            }
            // Not fitting: keep the first valid layout of the largest group tried, for the does-not-fit report.
            if (fallback is null || l.ModelParallel > fallback.Value.L.ModelParallel) fallback = (d, l);
        }
        if (fallback is { } f)
        {
            Describe(f.L, Predict(f.D, w), notes, chosen: true);
            return f;
        }
        throw new UsageException(firstProblem ?? $"no layout of {available} device(s) can be built");
    }

    /// <summary>Offline (MLPerf-style) throughput: every candidate layout at the largest batch that fits on it, the fastest kept.</summary>
    public Configuration Offline(Workload workload, List<string> notes)
    {
        (double Rate, Deployment D, Layout L, int Batch)? best = null;
        string? firstProblem = null;
        foreach (var l in Candidates())
        {
            if (Problem(l) is { } why) { firstProblem ??= why; continue; }
            var d = Resolve(l);
            var s = workload.Scenario;
            var e = exec ?? ExecutionModel.Ideal(d.Engine);
            int batch = OfflineBatch.Largest(d, workload, e, assumptions);
            var w = workload with { Scenario = Scenario.Of(batch, s.PromptTokens, s.GeneratedTokens) };
            var p = InferenceEngine.Predict(d, w, e, assumptions);
            if (!p.Memory.Fits) continue;
            double rate = (double)batch * s.GeneratedTokens / p.EndToEnd.Value * l.Dp;
            if (best is null || rate > best.Value.Rate) best = (rate, d, l, batch);
        }
        if (best is not { } bst)
            throw firstProblem is not null && !Candidates().Any(c => Problem(c) is null)
                ? new UsageException(firstProblem)
                : new DoesNotFitException("does not fit in memory at batch 1 on any layout of the devices");
        notes.Add($"offline: largest batch that fits in memory (cap {OfflineBatch.Cap}): {bst.Batch} per replica, {bst.L.Dp} replica(s) of {bst.L.ModelParallel} device(s) ({bst.L}), the fastest of the layouts tried");
        var sc = workload.Scenario;
        var final = workload with { Scenario = Scenario.Of(bst.Batch, sc.PromptTokens, sc.GeneratedTokens) };
        return new Configuration(request, bst.D, final, exec ?? ExecutionModel.Ideal(bst.D.Engine), assumptions, bst.L.Dp, notes);
    }

    void Describe(Layout l, Prediction p, List<string> notes, bool chosen)
    {
        var a = model.Architecture;
        var s = p.Workload.Scenario;
        if (chosen && available > 1)
            notes.Add($"layout {l} chosen: the smallest model-parallel group that fits with room for the KV cache of batch {s.Batch} × {s.PromptTokens + s.GeneratedTokens} tokens"
                + (l.Dp > 1 ? $", replicated {l.Dp}× across the other devices" : ""));
        if (l.Devices < available)
            notes.Add($"{available - l.Devices} of {available} devices unused by layout {l}");
        if (p.Memory.KvReplicated)
            notes.Add(a.Mla is not null
                ? $"KV cache replicated on every tensor-parallel device: the MLA latent cache is shared by all heads"
                : $"KV cache replicated: TP{l.Tp} exceeds the {a.KvHeads} KV heads, each held by {l.Tp / p.Memory.KvShards} devices");
        else if (a.Mla is not null && l.Tp > 1)
            notes.Add("KV cache replicated on every tensor-parallel device: the MLA latent cache is shared by all heads");
        if (l.Ep > 1)
            notes.Add($"experts split {l.Ep} ways" + (l.ExpertsAcrossReplicas ? " across data-parallel replicas (all-to-all dispatch and combine per MoE layer)" : " inside the tensor-parallel group")
                + $"; expert load imbalance {assumptions.ExpertImbalance:0.##} (assumed)");
        if (l.Pp > 1)
            notes.Add(backend is { SplitsByLayer: true }
                ? $"PP{l.Pp}: layer split, the stages run one after another (no overlap); activations handed on between stages"
                : $"PP{l.Pp}: micro-batched pipeline, {Math.Min(s.Batch, l.Pp)} micro-batch(es); the bubble is {l.Pp - 1} stage-time(s) in prefill");
    }
}
