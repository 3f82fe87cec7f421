namespace PerfSim.Training.Communication;

/// <summary>
/// A group of devices that run a collective together: `Size` devices of which `PerNode` share each node
/// (PerNode = Size: all inside one node; PerNode = 1: one device per node, every hop crosses the network).
/// </summary>
public readonly record struct CommGroup(int Size, int PerNode)
{
    public int Nodes => (Size + PerNode - 1) / PerNode;
    public bool IntraNodeOnly => PerNode >= Size;

    /// <summary>
    /// Where a parallel dimension's group falls, ranks ordered innermost first (Megatron: tp, cp, dp, pp):
    /// `stride` is the product of the inner dimensions' sizes; a node holds `devicesPerNode` consecutive ranks.
    /// </summary>
    public static CommGroup Of(int size, int stride, int devicesPerNode)
    {
        if (size <= 1) return new CommGroup(1, 1);
        int perNode = stride >= devicesPerNode ? 1 : Math.Min(size, Math.Max(1, devicesPerNode / stride));
        return new CommGroup(size, perNode);
    }
}
