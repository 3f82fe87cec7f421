using PerfSim.Core.Collectives;

namespace PerfSim.Core.Engine;

/// <summary>
/// The links collectives cross: `IntraNode` joins the devices of one node (NVLink/NVSwitch, xGMI, PCIe),
/// `InterNode` is each device's own share of the scale-out network (NIC bandwidth per device) between nodes.
/// Groups are placed innermost first: a tensor-parallel group of up to `DevicesPerNode` stays inside a node.
/// </summary>
public sealed record CollectiveFabric(LinkLevel IntraNode, LinkLevel? InterNode, int DevicesPerNode)
{
    /// <summary>The group a collective over `devices` consecutive devices runs on.</summary>
    public CollectiveGroup Group(int devices) =>
        devices <= DevicesPerNode || InterNode is null
            ? CollectiveGroup.Flat(devices, IntraNode)
            : new CollectiveGroup(devices, DevicesPerNode, IntraNode, InterNode);

    /// <summary>The link a pipeline hand-off crosses: between nodes once the stages spill out of one node.</summary>
    public LinkLevel HandOff(int modelParallelDevices) =>
        modelParallelDevices > DevicesPerNode && InterNode is not null ? InterNode : IntraNode;
}
