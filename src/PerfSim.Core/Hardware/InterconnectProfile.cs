using PerfSim.Core.Units;

namespace PerfSim.Core.Hardware;

public enum InterconnectKind { Pcie, Nvlink, NvlinkC2c, Nvswitch, Infiniband, Ethernet, Upi, InfinityFabric, Cxl, Ici, Other }

/// <summary>
/// A link type: bandwidth per direction (per link), latency (α: one collective step over it) and energy per bit where
/// a source gives one. `AllPairs`: every attached device reaches every other directly at full bandwidth (a switch,
/// or a full mesh); `InNetworkReduction`: the switch can sum in the fabric (NVLink SHARP / InfiniBand SHARP).
/// </summary>
public sealed record InterconnectProfile(
    string Id,
    string Name,
    InterconnectKind Kind,
    Sourced<BytesPerSecond> BandwidthPerDirection,
    Sourced<Seconds>? Latency,
    Sourced<JoulesPerByte>? EnergyPerByte,
    IReadOnlyDictionary<string, string> Sources,
    string File,
    Sourced<bool>? AllPairsField = null,
    Sourced<bool>? InNetworkReductionField = null)
{
    /// <summary>Switched networks reach every peer directly unless the profile says otherwise; point-to-point links do not.</summary>
    public bool AllPairs => AllPairsField?.Value ?? Kind is InterconnectKind.Nvswitch or InterconnectKind.Infiniband or InterconnectKind.Ethernet;

    public bool InNetworkReduction => InNetworkReductionField?.Value ?? false;
}

/// <summary>A memory technology (DDR5-4800, HBM3, ...): bandwidth per channel or stack and energy per bit.</summary>
public sealed record MemoryTechnology(
    string Id,
    string Name,
    MemoryKind Kind,
    Sourced<BytesPerSecond> BandwidthPerUnit,
    string Unit,
    Sourced<JoulesPerByte>? EnergyPerByte,
    IReadOnlyDictionary<string, string> Sources,
    string File);
