using PerfSim.Core.Units;

namespace PerfSim.Training.Communication;

/// <summary>
/// Minimal α–β (latency–bandwidth) collectives on a two-level topology, used until the shared collective module
/// (src/PerfSim.Core/Collectives, branch `collectives`) lands. Ring algorithms: all-reduce moves 2(n−1)/n of the
/// buffer over each device's link with 2(n−1) latency steps; reduce-scatter and all-gather half of that.
/// A group spanning nodes runs hierarchically (Megatron/NCCL): reduce-scatter inside the node over NVLink, the
/// inter-node ring on 1/PerNode of the buffer over each device's share of the NICs, all-gather inside the node.
/// With in-network reduction (SHARP) the inter-node all-reduce sends and receives the buffer once (n/(n−1) less).
/// </summary>
public sealed class AlphaBetaCollectives(ClusterTopology cluster) : ICollectiveModel
{
    readonly NetworkLink intra = cluster.IntraNode, inter = cluster.InterNode;

    /// <summary>Ring all-reduce of `bytes` over n devices on one link: 2(n−1)/n·S/B + 2(n−1)·α.</summary>
    public static double RingAllReduce(double bytes, int n, double bandwidth, double latency) =>
        n <= 1 ? 0 : 2.0 * (n - 1) / n * bytes / bandwidth + 2.0 * (n - 1) * latency;

    /// <summary>Ring reduce-scatter or all-gather: (n−1)/n·S/B + (n−1)·α.</summary>
    public static double RingHalf(double bytes, int n, double bandwidth, double latency) =>
        n <= 1 ? 0 : (double)(n - 1) / n * bytes / bandwidth + (n - 1) * latency;

    double Bw(NetworkLink l) => l.BandwidthPerDevice.Value;
    double Lat(NetworkLink l) => l.Latency.Value;

    public Seconds AllReduce(double bytes, CommGroup g)
    {
        if (g.Size <= 1 || bytes <= 0) return Seconds.Zero;
        if (g.IntraNodeOnly) return new(RingAllReduce(bytes, g.Size, Bw(intra), Lat(intra)));
        double inNode = 2 * RingHalf(bytes, g.PerNode, Bw(intra), Lat(intra));
        double shard = bytes / g.PerNode;
        int nodes = g.Nodes;
        double across = cluster.InNetworkReduction
            ? shard / Bw(inter) + 2 * Lat(inter)
            : RingAllReduce(shard, nodes, Bw(inter), Lat(inter));
        return new(inNode + across);
    }

    public Seconds ReduceScatter(double bytes, CommGroup g) => Half(bytes, g);
    public Seconds AllGather(double bytes, CommGroup g) => Half(bytes, g);

    Seconds Half(double bytes, CommGroup g)
    {
        if (g.Size <= 1 || bytes <= 0) return Seconds.Zero;
        if (g.IntraNodeOnly) return new(RingHalf(bytes, g.Size, Bw(intra), Lat(intra)));
        // Hierarchical: the inter-node step on each device's 1/PerNode of the buffer, then the in-node step.
        double across = RingHalf(bytes / g.PerNode, g.Nodes, Bw(inter), Lat(inter));
        return new(across + RingHalf(bytes, g.PerNode, Bw(intra), Lat(intra)));
    }

    /// <summary>All-to-all: each device sends (n−1)/n of its buffer; the part bound for other nodes crosses the NICs.</summary>
    public Seconds AllToAll(double bytes, CommGroup g)
    {
        if (g.Size <= 1 || bytes <= 0) return Seconds.Zero;
        int n = g.Size;
        double local = bytes * (g.PerNode - 1) / n, remote = bytes * (n - g.PerNode) / n;
        double t = Math.Max(local / Bw(intra), remote > 0 ? remote / Bw(inter) : 0) + (n - 1) * Lat(remote > 0 ? inter : intra);
        return new(t);
    }

    public Seconds SendRecv(double bytes, bool crossesNodes)
    {
        if (bytes <= 0) return Seconds.Zero;
        var l = crossesNodes ? inter : intra;
        return new(bytes / Bw(l) + Lat(l));
    }
}
