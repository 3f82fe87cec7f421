using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;
using PerfSim.Core.Workloads;

namespace PerfSim.Core.Uncertainty;

/// <summary>The envelope coordinates of a run, the same for a measured row and a request.</summary>
public static class RequestPoints
{
    /// <summary>A device's class: vendor and kind ("apple soc", "nvidia gpu"), the level at which backends differ.</summary>
    public static string DeviceClass(HardwareProfile device) => $"{device.Vendor.ToLowerInvariant()} {device.Kind.ToString().ToLowerInvariant()}";

    /// <summary>The point of one run: the device (a system's member), the workload, and the devices per model copy.</summary>
    public static RequestPoint Of(HardwareProfile device, Workload workload, int devices, int? batch) => new(
        DeviceClass(device), ParameterCount.Of(workload.Arch).Total, batch,
        workload.Scenario.PromptTokens + workload.Scenario.GeneratedTokens, devices);
}
