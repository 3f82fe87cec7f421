using PerfSim.Core.Units;

namespace PerfSim.Training.Communication;

/// <summary>
/// The collectives a training step needs, timed on the cluster's links. `bytes` is the full buffer each device holds
/// before (all-reduce, reduce-scatter) or after (all-gather) the collective; for all-to-all, what each device sends.
/// </summary>
public interface ICollectiveModel
{
    Seconds AllReduce(double bytes, CommGroup group);
    Seconds ReduceScatter(double bytes, CommGroup group);
    Seconds AllGather(double bytes, CommGroup group);
    Seconds AllToAll(double bytes, CommGroup group);
    /// <summary>One point-to-point transfer between neighbours (pipeline stages); `crossesNodes` picks the link.</summary>
    Seconds SendRecv(double bytes, bool crossesNodes);
}
