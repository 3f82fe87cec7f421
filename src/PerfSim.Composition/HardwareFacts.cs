using PerfSim.Core.Hardware;
using PerfSim.Data.Catalog;

namespace PerfSim.Composition;

/// <summary>
/// What a hardware ID stands for when it is bought rather than predicted on: the device, and for a system profile
/// the chassis around it (device count, host CPUs, scale-out ports, whole-system power). Planning front ends read
/// this instead of resolving IDs themselves.
/// </summary>
public sealed record HardwareFacts(
    string Id,
    string Name,
    string Vendor,
    HardwareProfile Device,
    HardwareProfile? System,
    HardwareProfile? HostCpu,
    int HostCpus,
    int? ScaleOutPorts,
    string? ScaleOutLink)
{
    /// <summary>Devices per chassis when the profile is a system; null for a bare device.</summary>
    public int? DevicesPerSystem => System?.System?.Count;

    public static HardwareFacts Of(ProfileCatalog catalog, string hardwareId)
    {
        var hw = catalog.GetHardware(hardwareId);
        if (hw.System is not { } sys)
            return new HardwareFacts(hw.Id, hw.Name, hw.Vendor, hw, null, null, 0, null, null);
        var device = catalog.GetHardware(sys.Device);
        var host = sys.HostCpu is { } h && catalog.Hardware.TryGetValue(h, out var cpu) ? cpu : null;
        return new HardwareFacts(hw.Id, hw.Name, hw.Vendor, device, hw, host, sys.HostCpus ?? 0, sys.ScaleOut?.Count, sys.ScaleOut?.Interconnect);
    }
}
