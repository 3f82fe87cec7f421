using PerfSim.Core.Hardware;
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
    /// <summary>
    /// Assumed: collective libraries reach about 80 % of a link's per-direction peak as bus bandwidth on large messages
    /// (nccl-tests on NVLink/NVSwitch systems report roughly this; recalled, not in our reference material).
    /// </summary>
    public const double AssumedCollectiveEfficiency = 0.8;

    /// <summary>Assumed when a link profile gives no latency: a few microseconds per collective step.</summary>
    public static readonly Seconds AssumedAlpha = new(5e-6);

    /// <summary>`count` links of an interconnect profile as one level: bandwidth × count, the profile's α and fabric facts.</summary>
    public static LinkLevel From(InterconnectProfile ic, int count, double efficiency = AssumedCollectiveEfficiency) =>
        new($"{count} × {ic.Id}", ic.Latency?.Value ?? AssumedAlpha, ic.BandwidthPerDirection.Value * count,
            ic.AllPairs, ic.InNetworkReduction, efficiency);

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
