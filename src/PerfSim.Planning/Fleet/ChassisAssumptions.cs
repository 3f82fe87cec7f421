using PerfSim.Core.Hardware;

namespace PerfSim.Planning.Fleet;

/// <summary>
/// What a bare device (not a system profile) is assumed to be installed in: none of these figures is in our
/// reference material, so each is labelled assumed with the reason, and printed with every plan.
/// </summary>
public static class ChassisAssumptions
{
    /// <summary>Devices per server for a bare device: 8 for data-centre accelerators (the HGX/OAM pattern), 4 for other GPUs, 1 otherwise.</summary>
    public static int DevicesPerServer(HardwareProfile device) => device.Kind switch
    {
        DeviceKind.Accelerator => 8,
        DeviceKind.Gpu when IsDataCentre(device) => 8,
        DeviceKind.Gpu => 4,
        _ => 1,
    };

    /// <summary>A data-centre part: HBM memory (consumer and workstation cards use GDDR).</summary>
    public static bool IsDataCentre(HardwareProfile device) => device.DeviceMemory.Kind is MemoryKind.Hbm2 or MemoryKind.Hbm2e or MemoryKind.Hbm3 or MemoryKind.Hbm3e;

    public const string HostPowerWhy = "assumed: host CPUs, memory, fans and NICs of an accelerator server ≈ 2 kW for 8 devices (two ~350 W server CPUs as the Xeon 8480+ datasheet, the rest assumed), 0.5 kW for smaller chassis, 0 for a single SoC/CPU box (its TDP is the box)";
    public static double HostPowerWatts(HardwareProfile device, int devicesPerServer) => devicesPerServer >= 8 ? 2000 : devicesPerServer > 1 ? 500 : 0;

    /// <summary>Share of the host's nameplate power drawn while serving (the engine models the devices, not the host).</summary>
    public const double HostLoadFraction = 0.6;
    public const string HostLoadWhy = "assumed: the host draws ~60% of its nameplate while its devices serve (no measurement in our material)";

    public static PriceItem ChassisPrice(HardwareProfile device, int devicesPerServer) => devicesPerServer >= 8
        ? new PriceItem(40000, "an 8-device accelerator server without the devices (CPUs, memory, board, NVMe, power supplies) ≈ 40k USD", true)
        : devicesPerServer > 1
            ? new PriceItem(8000, "a workstation-class server for up to 4 PCIe cards ≈ 8k USD", true)
            : new PriceItem(0, "the device is the whole box (its price covers it)", true);

    /// <summary>The part of a system's chassis not covered by its sourced host CPU price.</summary>
    public static readonly PriceItem ChassisRest = new(20000, "server board, memory, storage, power supplies and switch trays of an 8-device system beyond its host CPUs ≈ 20k USD", true);

    public static PriceItem PortPrice(HardwareProfile device, int devicesPerServer) => devicesPerServer >= 8 || IsDataCentre(device)
        ? new PriceItem(3000, "one 400 Gb/s scale-out port: NIC share + switch port + optics ≈ 3k USD", true)
        : new PriceItem(200, "one 10–25 GbE port with its switch share ≈ 200 USD", true);

    /// <summary>Scale-out ports per server for a bare device: one per device in accelerator servers, one per server otherwise.</summary>
    public static int PortsPerServer(HardwareProfile device, int devicesPerServer) => devicesPerServer >= 8 ? devicesPerServer : 1;

    /// <summary>Rack space: usable units and the height of one server.</summary>
    public const int RackUnits = 42;
    public static int ServerUnits(int devicesPerServer) => devicesPerServer >= 8 ? 8 : devicesPerServer > 1 ? 4 : 2;
    public const string SpaceWhy = "assumed: 42 usable rack units; an 8-device server takes 8U (as DGX H100), a 4-card server 4U, a single box 2U";
}
