using PerfSim.Core.Backends;
using PerfSim.Core.Engine;
using PerfSim.Core.Workloads;

namespace PerfSim.Composition;

/// <summary>
/// Validates a layout against the model, the backend and the hardware, and chooses one where the request leaves it
/// open: what a good operator does — the smallest model-parallel group that fits with room for the scenario's KV
/// cache, replicated (data parallel) across the rest. Tensor parallel inside a node first, pipeline stages beyond.
/// </summary>
public static class LayoutChoice
{
    /// <summary>The one-line reason a layout cannot be built, or null if it can.</summary>
    public static string? Problem(Layout l, ModelProfile model, BackendProfile? backend, int available, string hardwareId, bool hasLink)
    {
        var a = model.Architecture;
        foreach (var (name, v) in new[] { ("--tp", l.Tp), ("--pp", l.Pp), ("--ep", l.Ep), ("--dp", l.Dp) })
            if (v < 1) return $"{name} must be at least 1, got {v}";
        if (a.Heads % l.Tp != 0) return $"--tp {l.Tp}: the {a.Heads} attention heads of '{model.Id}' do not divide by {l.Tp}";
        if (a.Mla is null && a.KvHeads % l.Tp != 0 && l.Tp % a.KvHeads != 0)
            return $"--tp {l.Tp}: the {a.KvHeads} KV heads of '{model.Id}' neither divide by {l.Tp} nor divide it (no even split or replication)";
        if (l.Pp > a.Layers) return $"--pp {l.Pp}: '{model.Id}' has only {a.Layers} layers";
        if (l.Ep > 1)
        {
            if (a.Moe is not { } moe) return $"--ep {l.Ep}: '{model.Id}' has no experts";
            if (moe.Experts % l.Ep != 0) return $"--ep {l.Ep}: the {moe.Experts} experts of '{model.Id}' do not divide by {l.Ep}";
            if (l.Ep <= l.Tp && l.Tp % l.Ep != 0) return $"--ep {l.Ep} must divide --tp {l.Tp} (experts split inside the tensor-parallel group)";
            if (l.Ep > l.Tp && (l.Tp != 1 || l.Dp % l.Ep != 0))
                return $"--ep {l.Ep} beyond --tp needs --tp 1 and --dp a multiple of {l.Ep} (attention data parallel, experts split across the replicas); got --tp {l.Tp} --dp {l.Dp}";
        }
        if (l.Devices > available)
            return $"layout TP{l.Tp} × PP{l.Pp} × DP{l.Dp} needs {l.Devices} devices; '{hardwareId}' gives {available}";
        if ((l.ModelParallel > 1 || l.Ep > 1) && !hasLink)
            return $"layout {l}: '{hardwareId}' has no link between devices (no device, host or system fabric link in its profile)";
        if (backend is not null)
            foreach (var (dim, v) in new[] { ("tp", l.Tp), ("pp", l.Pp), ("ep", l.Ep), ("dp", l.Dp) })
                if (v > 1 && !backend.Supports(dim))
                    return $"--{dim} {v}: backend '{backend.Id}' runs only these layouts: {string.Join(", ", backend.Layouts)}";
        return null;
    }

    /// <summary>
    /// The ways to split a model-parallel group of `group` devices, in preference order: tensor parallel over the
    /// whole group (inside a node), then TP over a node with pipeline stages across nodes, then pure pipeline.
    /// A layer-split backend only pipelines.
    /// </summary>
    public static IEnumerable<(int Tp, int Pp)> Splits(int group, int devicesPerNode, BackendProfile? backend)
    {
        bool tp = backend?.Supports("tp") ?? true, pp = backend?.Supports("pp") ?? true;
        var seen = new HashSet<(int, int)>();
        IEnumerable<(int, int)> All()
        {
            if (group == 1) { yield return (1, 1); yield break; }
            if (tp && group <= devicesPerNode) yield return (group, 1);
            if (tp && pp)
                for (int t = Math.Min(group, devicesPerNode); t >= 2; t--)
                    if (group % t == 0) yield return (t, group / t);
            if (tp) yield return (group, 1);
            if (pp) yield return (1, group);
        }
        foreach (var s in All())
            if (seen.Add(s)) yield return s;
    }

    /// <summary>Model-parallel group sizes to try, smallest first: the divisors of the devices.</summary>
    public static IEnumerable<int> GroupSizes(int devices)
    {
        for (int g = 1; g <= devices; g++)
            if (devices % g == 0) yield return g;
    }
}
