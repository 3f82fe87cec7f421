using PerfSim.Core.Collectives;
using PerfSim.Core.Units;

namespace PerfSim.Training.Communication;

/// <summary>
/// The training step's collectives priced by the shared α–β module (PerfSim.Core.Collectives): the fastest
/// algorithm the fabric supports, hierarchical (NVLink inside the node, the device's NIC share between nodes)
/// when the group spans nodes. Nothing here models a collective of its own.
/// </summary>
public sealed class SharedCollectives(ClusterTopology cluster) : ICollectiveModel
{
    CollectiveGroup Group(CommGroup g) =>
        g.IntraNodeOnly ? CollectiveGroup.Flat(g.Size, cluster.IntraNode) : new CollectiveGroup(g.Size, g.PerNode, cluster.IntraNode, cluster.InterNode);

    Seconds Run(CollectiveOp op, double bytes, CommGroup g) =>
        g.Size <= 1 || bytes <= 0 ? Seconds.Zero : Collective.Cost(op, bytes, Group(g)).Time;

    public Seconds AllReduce(double bytes, CommGroup group) => Run(CollectiveOp.AllReduce, bytes, group);
    public Seconds ReduceScatter(double bytes, CommGroup group) => Run(CollectiveOp.ReduceScatter, bytes, group);
    public Seconds AllGather(double bytes, CommGroup group) => Run(CollectiveOp.AllGather, bytes, group);
    public Seconds AllToAll(double bytes, CommGroup group) => Run(CollectiveOp.AllToAll, bytes, group);

    public Seconds SendRecv(double bytes, bool crossesNodes) =>
        bytes <= 0 ? Seconds.Zero : Collective.SendRecv(bytes, crossesNodes ? cluster.InterNode : cluster.IntraNode).Time;
}
