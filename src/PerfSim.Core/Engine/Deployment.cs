using PerfSim.Core.Catalog;
using PerfSim.Core.Hardware;
using PerfSim.Core.Units;

namespace PerfSim.Core.Engine;

/// <summary>
/// The hardware a prediction runs on, resolved: the device, the engine chosen on it, how many devices share the
/// model by tensor parallelism, and the links that collectives and offloaded weights cross.
/// Power and price are those of the whole group (a system profile's own figures, or N × the device's).
/// </summary>
public sealed record Deployment(
    HardwareProfile Device,
    ComputeEngine Engine,
    int Devices,
    BytesPerSecond CollectiveBandwidthPerDevice,
    Seconds CollectiveLatency,
    string CollectiveLink,
    JoulesPerByte? CollectiveEnergy,
    BytesPerSecond HostLinkBandwidth,
    string? HostLink,
    Watts GroupTdp,
    Watts GroupIdle,
    Usd? GroupPurchase,
    UsdPerHour? GroupCloudHourly,
    string HardwareId,
    int? Threads = null)
{
    /// <summary>
    /// Share of the engine's compute the run uses: on a CPU engine with `Threads` set, min(threads, cores) ÷ cores
    /// (SMT threads beyond the core count add no vector throughput); 1 otherwise.
    /// </summary>
    public double ComputeShare =>
        Engine.Kind == EngineKind.Cpu && Threads is { } t && Engine.Cores is { } c && c > 0 ? Math.Clamp((double)Math.Min(t, c) / c, 1e-3, 1) : 1;

    /// <summary>Assumed when a link profile gives no latency: a few microseconds per collective step.</summary>
    public static readonly Seconds AssumedLinkLatency = new(5e-6);

    public static Deployment Resolve(ProfileCatalog catalog, string hardwareId, int? devices = null, EngineKind? engineKind = null, int? threads = null)
    {
        var hw = catalog.GetHardware(hardwareId);
        var device = hw.System is { } sys ? catalog.GetHardware(sys.Device) : hw;
        int n = devices ?? hw.System?.Count ?? 1;
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(devices), "device count must be at least 1");
        if (threads is < 1) throw new ArgumentOutOfRangeException(nameof(threads), "thread count must be at least 1");

        var engine = engineKind is { } k
            ? device.EngineOfKind(k) ?? throw new ArgumentException($"hardware '{hardwareId}' has no {k.ToString().ToLowerInvariant()} engine; it has: {string.Join(", ", device.Engines.Select(e => e.Kind.ToString().ToLowerInvariant()))}")
            : device.DefaultEngine;

        // Collectives go over the device-to-device links if there are any, else over the host link (PCIe cards).
        var link = device.DeviceLink ?? hw.System?.Fabric ?? device.HostLink;
        BytesPerSecond linkBw = new(0);
        Seconds latency = AssumedLinkLatency;
        string linkName = "none";
        JoulesPerByte? linkEnergy = null;
        if (link is not null)
        {
            var ic = catalog.GetInterconnect(link.Interconnect);
            linkBw = ic.BandwidthPerDirection.Value * link.Count;
            latency = ic.Latency?.Value ?? AssumedLinkLatency;
            linkName = $"{link.Count} × {ic.Id}";
            linkEnergy = ic.EnergyPerByte?.Value;
        }
        BytesPerSecond hostBw = new(0);
        if (device.HostLink is { } hl)
            hostBw = catalog.GetInterconnect(hl.Interconnect).BandwidthPerDirection.Value * hl.Count;

        var group = hw.System is not null && n == hw.System.Count ? hw : null;
        var tdp = group?.Power.Tdp.Value ?? new Watts(device.Power.Tdp.Value.Value * n);
        var idle = group?.Power.Idle.Value ?? new Watts(device.Power.Idle.Value.Value * n);
        Usd? purchase = group?.Price.Purchase?.Value ?? (device.Price.Purchase is { } p ? new Usd(p.Value.Value * n) : null);
        UsdPerHour? cloud = group?.Price.CloudHourly?.Value ?? (device.Price.CloudHourly is { } c ? new UsdPerHour(c.Value.Value * n) : null);
        return new Deployment(device, engine, n, linkBw, latency, linkName, linkEnergy, hostBw, device.HostLink?.Interconnect,
            tdp, idle, purchase, cloud, hw.Id, threads);
    }

    /// <summary>One device on its own, without a catalog: no links to other devices (a calibrated host, a test device).</summary>
    public static Deployment Standalone(HardwareProfile device, int? threads = null) =>
        new(device, device.DefaultEngine, 1, new BytesPerSecond(0), AssumedLinkLatency, "none", null, new BytesPerSecond(0), null,
            device.Power.Tdp.Value, device.Power.Idle.Value, device.Price.Purchase?.Value, device.Price.CloudHourly?.Value, device.Id, threads);

    /// <summary>Peak bandwidth of the device memory as this engine sees it (an engine may not reach all of a shared memory).</summary>
    public BytesPerSecond PeakBandwidth(MemoryLevel level)
    {
        var bw = level.Bandwidth.Value;
        if (level == Device.DeviceMemory && Engine.MemoryBandwidthLimit is { } limit && limit.Value.Value < bw.Value)
            return limit.Value;
        return bw;
    }
}
