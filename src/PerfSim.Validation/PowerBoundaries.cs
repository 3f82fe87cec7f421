using PerfSim.Core.Hardware;
using PerfSim.Data.Measurements;

namespace PerfSim.Validation;

/// <summary>Where a measurement drew its power boundary: the devices only (NVML, DCGM), or the whole machine at the wall.</summary>
public enum PowerBoundaryKind { Devices, Wall }

/// <summary>The boundary of a row and whether its power figure is the peak over the run (else the average).</summary>
public readonly record struct PowerBoundary(PowerBoundaryKind Kind, bool Peak)
{
    public string Describe => (Kind == PowerBoundaryKind.Wall ? "whole system at the wall" : "devices only") + (Peak ? ", peak" : ", average");
}

/// <summary>
/// Reads the boundary from a row's notes (the file's convention: "GPU-only", "WHOLE-SYSTEM wall power", "PEAK") and
/// gives the host power a wall measurement adds. Host figures are assumed (no measurement of the hosts in our
/// reference material), stated here with why.
/// </summary>
public static class PowerBoundaries
{
    /// <summary>Assumed: a desktop host feeding one GPU (one busy CPU core, chipset, 64 GB DDR5, SSD, fans) draws ~45 W.</summary>
    public const double DesktopHostWatts = 45;
    /// <summary>Assumed: the rest of a Mac (SSD, fans, 10 GbE, I/O) beside the SoC draws ~5 W (the M4 mini row's ~6 W idle wall figure includes the SoC's idle).</summary>
    public const double CompactHostWatts = 5;
    /// <summary>80 PLUS Gold: ≥ 90 % efficient at half load (80 PLUS specification); wall power = DC power ÷ 0.9.</summary>
    public const double PsuEfficiency = 0.90;

    public static PowerBoundary Of(ReferenceRow r)
    {
        string n = r.Notes;
        bool wall = n.Contains("WHOLE-SYSTEM", StringComparison.Ordinal) || n.Contains("whole-system wall", StringComparison.OrdinalIgnoreCase)
                    || n.Contains("wall power", StringComparison.OrdinalIgnoreCase) && !n.Contains("GPU-only", StringComparison.Ordinal);
        bool peak = n.Contains("PEAK", StringComparison.Ordinal) || n.Contains("Power (Peak)", StringComparison.Ordinal);
        return new PowerBoundary(wall ? PowerBoundaryKind.Wall : PowerBoundaryKind.Devices, peak);
    }

    /// <summary>Host watts a wall measurement adds beside the devices (SoCs carry their memory and CPU in the device profile).</summary>
    public static double HostWatts(DeviceKind kind) => kind == DeviceKind.Soc ? CompactHostWatts : DesktopHostWatts;

    /// <summary>Devices' power → the row's boundary.</summary>
    public static double AtBoundary(PowerBoundary b, double deviceWatts, DeviceKind kind) =>
        b.Kind == PowerBoundaryKind.Wall ? (deviceWatts + HostWatts(kind)) / PsuEfficiency : deviceWatts;
}
