using PerfSim.Core.Collectives;
using PerfSim.Core.Engine;
using PerfSim.Core.Units;

namespace PerfSim.Training;

/// <summary>
/// The machine a job trains on: one device type (its engine, memory, power and price in `Device`), nodes of
/// `DevicesPerNode` devices joined by `IntraNode` (NVLink/NVSwitch), nodes joined by `InterNode` (InfiniBand/RoCE:
/// each device's share of its node's NICs; in-network reduction when the switches do SHARP).
/// `DevicePower`, `DevicePurchase` and `DeviceCloudHourly` are per device, including its share of the node
/// (host, NICs) when the hardware is a system profile.
/// </summary>
public sealed record ClusterTopology(
    Deployment Device,
    int DevicesPerNode,
    LinkLevel IntraNode,
    LinkLevel InterNode,
    Watts DevicePower,
    Usd? DevicePurchase,
    UsdPerHour? DeviceCloudHourly,
    string HardwareId,
    string Description)
{
    public Bytes DeviceMemory => Device.Device.DeviceMemory.Capacity.Value;
}
