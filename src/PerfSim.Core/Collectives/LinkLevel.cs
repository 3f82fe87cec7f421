using PerfSim.Core.Units;

namespace PerfSim.Core.Collectives;

/// <summary>
/// One level of the fabric as the α–β model sees it: α, the latency of one collective step (software launch plus
/// the hop), and the bandwidth ONE device can send (and receive) at the same time, per direction. `AllPairs`: every
/// device reaches every other at that bandwidth without relaying (a switch such as NVSwitch, or a full mesh such as
/// MI300X xGMI), which one-shot, two-shot and direct all-to-all need. `InNetworkReduction`: the switch can sum
/// (NVLink SHARP / InfiniBand SHARP). `Efficiency`: the share of the per-direction peak a collective library reaches.
/// </summary>
public sealed record LinkLevel(
    string Name,
    Seconds Alpha,
    BytesPerSecond Bandwidth,
    bool AllPairs,
    bool InNetworkReduction,
    double Efficiency = 1)
{
    /// <summary>The bandwidth the β term uses: peak per direction × the library's efficiency.</summary>
    public double EffectiveBandwidth => Bandwidth.Value * Efficiency;

    /// <summary>Seconds to move `bytes` through this level at its effective bandwidth (∞ when it has none).</summary>
    public double Transfer(double bytes) =>
        bytes <= 0 ? 0 : EffectiveBandwidth > 0 ? bytes / EffectiveBandwidth : double.PositiveInfinity;
}

/// <summary>
/// The devices a collective runs over: `Devices` in all, `DevicesPerNode` of them inside each node joined by
/// `IntraNode`; nodes joined by `InterNode` (each device's own NIC share of the scale-out network).
/// </summary>
public sealed record CollectiveGroup(int Devices, int DevicesPerNode, LinkLevel IntraNode, LinkLevel? InterNode)
{
    public int Nodes => (Devices + DevicesPerNode - 1) / DevicesPerNode;
    public bool SpansNodes => Devices > DevicesPerNode;

    /// <summary>A group inside one node (or a flat fabric).</summary>
    public static CollectiveGroup Flat(int devices, LinkLevel link) => new(devices, devices, link, null);
}
