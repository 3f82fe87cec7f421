using PerfSim.Core.Units;

namespace PerfSim.Core.Collectives;

/// <summary>
/// The textbook α–β costs on one level of the fabric: time = steps × α + bytes each device sends ÷ β.
/// Ring and pairwise: Thakur, Rabenseifner &amp; Gropp, "Optimization of collective communication operations in
/// MPICH" (2005); Patarasuk &amp; Yuan (2009). Double binary tree: Sanders, Speck &amp; Träff (2009), as NCCL runs it.
/// One-/two-shot: the direct algorithms of TensorRT-LLM's custom all-reduce. In-network: NVLS / SHARP, where the
/// switch sums so each device sends and receives the buffer once.
/// Returns null when the algorithm does not apply to the operation or the level cannot run it.
/// </summary>
public static class AlphaBeta
{
    public static CollectiveCost? Of(CollectiveOp op, CollectiveAlgorithm alg, double bytes, int n, LinkLevel link)
    {
        if (n <= 1) return CollectiveCost.None(op, bytes);
        double steps, sent;
        switch (op, alg)
        {
            case (CollectiveOp.AllReduce, CollectiveAlgorithm.Ring):
                steps = 2.0 * (n - 1); sent = 2.0 * (n - 1) / n * bytes; break;
            case (CollectiveOp.AllReduce, CollectiveAlgorithm.Tree):
                steps = 2.0 * Log2Ceiling(n); sent = 2.0 * bytes; break;
            case (CollectiveOp.AllReduce, CollectiveAlgorithm.OneShot) when link.AllPairs:
                steps = 1; sent = (n - 1.0) * bytes; break;
            case (CollectiveOp.AllReduce, CollectiveAlgorithm.TwoShot) when link.AllPairs:
                steps = 2; sent = 2.0 * (n - 1) / n * bytes; break;
            case (CollectiveOp.AllReduce, CollectiveAlgorithm.InNetwork) when link.InNetworkReduction:
                steps = 2; sent = bytes; break;
            case (CollectiveOp.AllGather or CollectiveOp.ReduceScatter, CollectiveAlgorithm.Ring):
                steps = n - 1; sent = (n - 1.0) / n * bytes; break;
            case (CollectiveOp.AllGather or CollectiveOp.ReduceScatter, CollectiveAlgorithm.Direct) when link.AllPairs:
                steps = 1; sent = (n - 1.0) / n * bytes; break;
            case (CollectiveOp.AllToAll, CollectiveAlgorithm.Direct):
                // All sends posted at once on an all-pairs fabric; pairwise exchange (N−1 steps) otherwise.
                steps = link.AllPairs ? 1 : n - 1; sent = (n - 1.0) / n * bytes; break;
            case (CollectiveOp.SendRecv, CollectiveAlgorithm.Direct):
                steps = 1; sent = bytes; break;
            default:
                return null;
        }
        return new CollectiveCost(op, alg, n, new Bytes(bytes), steps, new Seconds(steps * link.Alpha.Value),
            new Seconds(link.Transfer(sent)), new Bytes(sent), link.Name);
    }

    /// <summary>⌈log2 n⌉ for n ≥ 1.</summary>
    public static int Log2Ceiling(int n)
    {
        int k = 0;
        while ((1L << k) < n) k++;
        return k;
    }

    /// <summary>The algorithms tried for an operation on a single level.</summary>
    public static IReadOnlyList<CollectiveAlgorithm> AlgorithmsFor(CollectiveOp op) => op switch
    {
        CollectiveOp.AllReduce => [CollectiveAlgorithm.Ring, CollectiveAlgorithm.Tree, CollectiveAlgorithm.OneShot, CollectiveAlgorithm.TwoShot, CollectiveAlgorithm.InNetwork],
        CollectiveOp.AllGather or CollectiveOp.ReduceScatter => [CollectiveAlgorithm.Ring, CollectiveAlgorithm.Direct],
        _ => [CollectiveAlgorithm.Direct],
    };
}
