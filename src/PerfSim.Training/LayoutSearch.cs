using PerfSim.Core.Engine;
using PerfSim.Core.Workloads;
using PerfSim.Training.Communication;

namespace PerfSim.Training;

/// <summary>
/// Without a layout: try every split of the devices (tp a power of two within a node and dividing the heads, pp
/// dividing the layers, dp the rest; micro-batch 1–8; interleaving 1–12 model chunks per stage, more than
/// one only when they split a stage's layers evenly (Megatron: layers per stage ÷ chunks whole; a last stage may be short); recomputation none/selective/full; ZeRO
/// 0 or 1 unless fixed; sequence parallelism with tp > 1) and keep the fastest step that fits in memory (Calculon's
/// search, smaller). Fixed choices in `template` (a non-null field of <see cref="SearchFixed"/>) are kept.
/// </summary>
public static class LayoutSearch
{
    public sealed record SearchFixed(int? Tp = null, int? Pp = null, int? Dp = null, int? Ep = null, int? Zero = null, Recompute? Recompute = null, int? MicroBatch = null,
        int? Interleave = null, bool? SequenceParallel = null, int Cp = 1);

    public static TrainingStep? Fastest(TrainingJob template, int devices, SearchFixed fix, ClusterTopology cluster, QuantScheme precision,
        ExecutionModel exec, ICollectiveModel comm)
    {
        TrainingStep? best = null;
        foreach (var job in Candidates(template, devices, fix, cluster.DevicesPerNode))
        {
            TrainingStep step;
            try { step = StepEstimator.Estimate(job, cluster, precision, exec, comm); }
            catch (ArgumentException) { continue; }
            if (!step.Memory.Fits) continue;
            if (best is null || step.Time.Value < best.Time.Value) best = step;
        }
        return best;
    }

    public static IEnumerable<TrainingJob> Candidates(TrainingJob template, int devices, SearchFixed fix, int devicesPerNode)
    {
        var a = template.Arch;
        var tps = fix.Tp is { } t0 ? [t0] : PowersOfTwo(Math.Min(devicesPerNode, devices)).Where(t => a.Heads % t == 0).ToArray();
        foreach (int tp in tps)
        {
            var pps = fix.Pp is { } p0 ? [p0] : Divisors(a.Layers).Where(p => p <= devices / tp).ToArray();
            foreach (int pp in pps)
            {
                if (devices % (tp * pp * fix.Cp) != 0) continue;
                int dp = devices / (tp * pp * fix.Cp);
                if (fix.Dp is { } d0 && d0 != dp) continue;
                int[] eps = fix.Ep is { } e0 ? [e0] : a.Moe is { } moe ? PowersOfTwo(dp).Where(e => moe.Experts % e == 0 && dp % e == 0).ToArray() : [1];
                foreach (int ep in eps)
                foreach (int mb in fix.MicroBatch is { } mb0 ? [mb0] : new[] { 1, 2, 4, 8 })
                {
                    if (template.GlobalBatch < (long)dp * mb) continue;
                    foreach (int v in fix.Interleave is { } v0 ? [v0] : pp > 1 ? Enumerable.Range(1, 12).Where(x => x == 1 || (a.Layers + pp - 1) / pp % x == 0).ToArray() : [1])
                    {
                        foreach (var r in fix.Recompute is { } r0 ? [r0] : new[] { Recompute.None, Recompute.Selective, Recompute.Full })
                        foreach (int z in fix.Zero is { } z0 ? [z0] : dp > 1 ? new[] { 0, 1 } : [0])
                            yield return template with
                            {
                                Layout = new TrainingLayout(tp, pp, dp, ep, fix.Cp, v, SequenceParallel: fix.SequenceParallel ?? tp > 1),
                                MicroBatch = mb, Recompute = r, Zero = z,
                            };
                    }
                }
            }
        }
    }

    static int[] PowersOfTwo(int max)
    {
        var list = new List<int>();
        for (int x = 1; x <= max; x *= 2) list.Add(x);
        return list.ToArray();
    }

    static int[] Divisors(int n) => Enumerable.Range(1, n).Where(x => n % x == 0).ToArray();
}
