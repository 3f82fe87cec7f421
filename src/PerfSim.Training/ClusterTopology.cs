using PerfSim.Core.Engine;
using PerfSim.Core.Units;

namespace PerfSim.Training;

/// <summary>A link as one device sees it: bandwidth per direction available to that device, and per-message latency.</summary>
public sealed record NetworkLink(string Name, BytesPerSecond BandwidthPerDevice, Seconds Latency);

/// <summary>
/// The machine a job trains on: one device type (its engine, memory, power and price in `Device`), nodes of
/// `DevicesPerNode` devices joined by `IntraNode` (NVLink/NVSwitch), nodes joined by `InterNode` (InfiniBand/RoCE, the
/// node's NIC bandwidth shared by its devices) and whether the switches reduce in the network (SHARP).
/// `DevicePower` and `DevicePurchase` are per device, including its share of the node (host, NICs) when the
/// hardware is a system profile.
/// </summary>
public sealed record ClusterTopology(
    Deployment Device,
    int DevicesPerNode,
    NetworkLink IntraNode,
    NetworkLink InterNode,
    bool InNetworkReduction,
    Watts DevicePower,
    Usd? DevicePurchase,
    UsdPerHour? DeviceCloudHourly,
    string HardwareId)
{
    public Bytes DeviceMemory => Device.Device.DeviceMemory.Capacity.Value;
}
