using PerfSim.Core.Units;

namespace PerfSim.Core.Collectives;

/// <summary>
/// Picks the fastest way to run a collective over a group, as NCCL-style libraries do: every algorithm the fabric
/// supports on a single level, and for groups that span nodes also the hierarchical form (inside each node over
/// NVLink/xGMI/PCIe, between nodes over each device's NIC, then inside the node again).
/// </summary>
public static class Collective
{
    /// <summary>The fastest candidate; a group of one device costs nothing.</summary>
    public static CollectiveCost Cost(CollectiveOp op, double bytes, CollectiveGroup g)
    {
        if (g.Devices <= 1 || bytes <= 0) return CollectiveCost.None(op, bytes);
        CollectiveCost? best = null;
        foreach (var c in Candidates(op, bytes, g))
            if (best is null || c.Time.Value < best.Time.Value) best = c;
        return best ?? throw new InvalidOperationException($"no algorithm for {op} on {g.IntraNode.Name}");
    }

    /// <summary>Every way the library could run it, with its cost.</summary>
    public static IEnumerable<CollectiveCost> Candidates(CollectiveOp op, double bytes, CollectiveGroup g)
    {
        if (!g.SpansNodes || g.InterNode is null)
        {
            foreach (var alg in AlphaBeta.AlgorithmsFor(op))
                if (AlphaBeta.Of(op, alg, bytes, g.Devices, g.IntraNode) is { } c) yield return c;
            yield break;
        }
        // Flat over all devices: every step may cross the slowest level, so it sets α and β.
        var slowest = Slowest(g.IntraNode, g.InterNode);
        foreach (var alg in AlphaBeta.AlgorithmsFor(op))
            if (AlphaBeta.Of(op, alg, bytes, g.Devices, slowest) is { } c) yield return c;
        if (Hierarchical(op, bytes, g) is { } h) yield return h;
    }

    static LinkLevel Slowest(LinkLevel a, LinkLevel b) => new(
        $"{a.Name} + {b.Name}", new Seconds(Math.Max(a.Alpha.Value, b.Alpha.Value)),
        new BytesPerSecond(Math.Min(a.EffectiveBandwidth, b.EffectiveBandwidth)), false, false);

    static CollectiveCost? Hierarchical(CollectiveOp op, double bytes, CollectiveGroup g)
    {
        int local = g.DevicesPerNode, nodes = g.Nodes;
        var intra = g.IntraNode;
        var inter = g.InterNode!;
        CollectiveGroup In(int n) => CollectiveGroup.Flat(n, intra);
        CollectiveGroup Across(int n) => CollectiveGroup.Flat(n, inter);
        List<CollectiveCost> parts;
        switch (op)
        {
            case CollectiveOp.AllReduce:
                // Reduce-scatter in the node, all-reduce each 1/L shard across nodes (one NIC per device), all-gather in the node.
                parts = [Cost(CollectiveOp.ReduceScatter, bytes, In(local)), Cost(CollectiveOp.AllReduce, bytes / local, Across(nodes)), Cost(CollectiveOp.AllGather, bytes, In(local))];
                break;
            case CollectiveOp.AllGather:
                parts = [Cost(CollectiveOp.AllGather, bytes / local, Across(nodes)), Cost(CollectiveOp.AllGather, bytes, In(local))];
                break;
            case CollectiveOp.ReduceScatter:
                parts = [Cost(CollectiveOp.ReduceScatter, bytes, In(local)), Cost(CollectiveOp.ReduceScatter, bytes / local, Across(nodes))];
                break;
            case CollectiveOp.AllToAll:
            {
                // All sends are posted at once: the peers in the node go over the fabric, the rest over the NIC, concurrently.
                int n = g.Devices;
                double inNode = bytes * (local - 1.0) / n, offNode = bytes * (n - local) / (double)n;
                var a = new CollectiveCost(op, CollectiveAlgorithm.Direct, local, new Bytes(bytes), 1, intra.Alpha, new Seconds(intra.Transfer(inNode)), new Bytes(inNode), intra.Name);
                var b = new CollectiveCost(op, CollectiveAlgorithm.Direct, n, new Bytes(bytes), inter.AllPairs ? 1 : nodes - 1,
                    new Seconds((inter.AllPairs ? 1 : nodes - 1) * inter.Alpha.Value), new Seconds(inter.Transfer(offNode)), new Bytes(offNode), inter.Name);
                var slow = a.Time.Value >= b.Time.Value ? a : b;
                return new CollectiveCost(op, CollectiveAlgorithm.Hierarchical, n, new Bytes(bytes), slow.Steps, slow.Latency, slow.Bandwidth,
                    new Bytes(inNode + offNode), $"{intra.Name} + {inter.Name}", [a, b]);
            }
            default:
                return null;   // send/recv between two devices is priced on the link between them by the caller
        }
        return new CollectiveCost(op, CollectiveAlgorithm.Hierarchical, g.Devices, new Bytes(bytes),
            parts.Sum(p => p.Steps), new Seconds(parts.Sum(p => p.Latency.Value)), new Seconds(parts.Sum(p => p.Bandwidth.Value)),
            new Bytes(parts.Sum(p => p.SentPerDevice.Value)), $"{intra.Name} + {inter.Name}", parts);
    }

    /// <summary>A point-to-point hand-off of `bytes` over a link (pipeline stages).</summary>
    public static CollectiveCost SendRecv(double bytes, LinkLevel link) =>
        AlphaBeta.Of(CollectiveOp.SendRecv, CollectiveAlgorithm.Direct, bytes, 2, link)!;
}
