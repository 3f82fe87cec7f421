using PerfSim.Core.Backends;
using PerfSim.Core.Collectives;
using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;
using PerfSim.Core.Units;
using PerfSim.Data.Catalog;

namespace PerfSim.Composition;

/// <summary>
/// Hardware IDs and a layout → a <see cref="Deployment"/>: the device, the engine chosen on it, the model-parallel
/// group (Tp × Pp devices), the fabric its collectives cross (inside a node, and between nodes over each device's NIC
/// share), its power and price. The only place that decides how a group of devices is joined.
/// </summary>
public static class DeploymentResolver
{
    /// <summary>Tensor parallelism over `devices` (the default when no layout is given).</summary>
    public static Deployment Resolve(ProfileCatalog catalog, string hardwareId, int? devices = null, EngineKind? engineKind = null, int? threads = null)
    {
        int n = devices ?? catalog.GetHardware(hardwareId).System?.Count ?? 1;
        if (n < 1) throw new UsageException($"--devices must be at least 1, got {n}");
        return Resolve(catalog, hardwareId, new Layout(Tp: n), engineKind, threads, null);
    }

    /// <summary>
    /// The deployment for a backend with `devices` in one model-parallel group: a layer-split backend (llama.cpp)
    /// makes it a pipeline without overlap, any other backend tensor parallel.
    /// </summary>
    public static Deployment Resolve(ProfileCatalog catalog, string hardwareId, int? devices, EngineKind? engineKind, int? threads, BackendProfile? backend)
    {
        int n = devices ?? catalog.GetHardware(hardwareId).System?.Count ?? 1;
        if (n < 1) throw new UsageException($"--devices must be at least 1, got {n}");
        var layout = backend is { SplitsByLayer: true } ? new Layout(Pp: n) : new Layout(Tp: n);
        return Resolve(catalog, hardwareId, layout, engineKind, threads, backend);
    }

    public static Deployment Resolve(ProfileCatalog catalog, string hardwareId, Layout layout, EngineKind? engineKind, int? threads, BackendProfile? backend)
    {
        var hw = catalog.GetHardware(hardwareId);
        var device = hw.System is { } sys ? catalog.GetHardware(sys.Device) : hw;
        int n = layout.ModelParallel;
        if (threads is < 1) throw new UsageException($"--threads must be at least 1, got {threads}");

        var engine = engineKind is { } k
            ? device.EngineOfKind(k) ?? throw new UsageException($"--engine: hardware '{hardwareId}' has no {k.ToString().ToLowerInvariant()} engine; it has: {string.Join(", ", device.Engines.Select(e => e.Kind.ToString().ToLowerInvariant()))}")
            : device.DefaultEngine;

        var fabric = Fabric(catalog, hw, device, layout.Devices);
        var intra = fabric?.IntraNode;
        BytesPerSecond hostBw = new(0);
        if (device.HostLink is { } hl)
            hostBw = catalog.GetInterconnect(hl.Interconnect).BandwidthPerDirection.Value * hl.Count;
        JoulesPerByte? linkEnergy = LinkOf(hw, device) is { } lr ? catalog.GetInterconnect(lr.Interconnect).EnergyPerByte?.Value : null;

        var group = hw.System is not null && n == hw.System.Count ? hw : null;
        var tdp = group?.Power.Tdp.Value ?? new Watts(device.Power.Tdp.Value.Value * n);
        var idle = group?.Power.Idle.Value ?? new Watts(device.Power.Idle.Value.Value * n);
        Usd? purchase = group?.Price.Purchase?.Value ?? (device.Price.Purchase is { } p ? new Usd(p.Value.Value * n) : null);
        UsdPerHour? cloud = group?.Price.CloudHourly?.Value ?? (device.Price.CloudHourly is { } c ? new UsdPerHour(c.Value.Value * n) : null);
        var schedule = backend is { SplitsByLayer: true } ? PipelineSchedule.Sequential : PipelineSchedule.MicroBatched;
        return new Deployment(device, engine, n, intra?.Bandwidth ?? new BytesPerSecond(0), intra?.Alpha ?? Deployment.AssumedLinkLatency,
            intra?.Name ?? "none", linkEnergy, hostBw, device.HostLink?.Interconnect, tdp, idle, purchase, cloud, hw.Id, threads,
            layout, fabric, schedule);
    }

    /// <summary>The link devices of one node share: a system's fabric, else the device's own device links, else its host link (PCIe cards).</summary>
    static LinkRef? LinkOf(HardwareProfile hw, HardwareProfile device) => hw.System?.Fabric ?? device.DeviceLink ?? device.HostLink;

    /// <summary>
    /// The collective fabric for `devices` in use: one node of a system (or a flat group of standalone devices) over
    /// its link, and for several systems the scale-out network with each device's share of the NICs. Null: no link.
    /// </summary>
    public static CollectiveFabric? Fabric(ProfileCatalog catalog, HardwareProfile hw, HardwareProfile device, int devices)
    {
        if (LinkOf(hw, device) is not { } link) return null;
        var intra = LinkLevel.From(catalog.GetInterconnect(link.Interconnect), link.Count);
        if (hw.System is { } sys)
        {
            LinkLevel? inter = sys.ScaleOut is { } so
                ? LinkLevel.From(catalog.GetInterconnect(so.Interconnect), 1) with
                {
                    Name = $"{so.Count} × {so.Interconnect} ÷ {sys.Count} devices",
                    Bandwidth = catalog.GetInterconnect(so.Interconnect).BandwidthPerDirection.Value * ((double)so.Count / sys.Count),
                }
                : null;
            return new CollectiveFabric(intra, inter, sys.Count);
        }
        return new CollectiveFabric(intra, null, Math.Max(1, devices));
    }

    /// <summary>True when the hardware has any link its devices can talk over.</summary>
    public static bool HasLink(ProfileCatalog catalog, string hardwareId)
    {
        var hw = catalog.GetHardware(hardwareId);
        var device = hw.System is { } sys ? catalog.GetHardware(sys.Device) : hw;
        return LinkOf(hw, device) is not null;
    }
}
