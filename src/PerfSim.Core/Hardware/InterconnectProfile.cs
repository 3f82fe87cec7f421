using PerfSim.Core.Units;

namespace PerfSim.Core.Hardware;

public enum InterconnectKind { Pcie, Nvlink, NvlinkC2c, Nvswitch, Infiniband, Ethernet, Upi, InfinityFabric, Cxl, Ici, Other }

/// <summary>A link type: bandwidth per direction (per link), latency and energy per bit where a source gives one.</summary>
public sealed record InterconnectProfile(
    string Id,
    string Name,
    InterconnectKind Kind,
    Sourced<BytesPerSecond> BandwidthPerDirection,
    Sourced<Seconds>? Latency,
    Sourced<JoulesPerByte>? EnergyPerByte,
    IReadOnlyDictionary<string, string> Sources,
    string File);

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
