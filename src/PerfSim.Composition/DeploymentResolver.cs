using PerfSim.Core.Backends;
using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;
using PerfSim.Core.Units;
using PerfSim.Data.Catalog;

namespace PerfSim.Composition;

/// <summary>
/// Hardware IDs → a <see cref="Deployment"/>: the device, the engine chosen on it, the device group, its links, its
/// power and price. The only place that decides how a group of devices shares a model.
/// </summary>
public static class DeploymentResolver
{
    public static Deployment Resolve(ProfileCatalog catalog, string hardwareId, int? devices = null, EngineKind? engineKind = null, int? threads = null)
    {
        var hw = catalog.GetHardware(hardwareId);
        var device = hw.System is { } sys ? catalog.GetHardware(sys.Device) : hw;
        int n = devices ?? hw.System?.Count ?? 1;
        if (n < 1) throw new UsageException($"--devices must be at least 1, got {n}");
        if (threads is < 1) throw new UsageException($"--threads must be at least 1, got {threads}");

        var engine = engineKind is { } k
            ? device.EngineOfKind(k) ?? throw new UsageException($"--engine: hardware '{hardwareId}' has no {k.ToString().ToLowerInvariant()} engine; it has: {string.Join(", ", device.Engines.Select(e => e.Kind.ToString().ToLowerInvariant()))}")
            : device.DefaultEngine;

        // Collectives go over the device-to-device links if there are any, else over the host link (PCIe cards).
        var link = device.DeviceLink ?? hw.System?.Fabric ?? device.HostLink;
        BytesPerSecond linkBw = new(0);
        Seconds latency = Deployment.AssumedLinkLatency;
        string linkName = "none";
        JoulesPerByte? linkEnergy = null;
        if (link is not null)
        {
            var ic = catalog.GetInterconnect(link.Interconnect);
            linkBw = ic.BandwidthPerDirection.Value * link.Count;
            latency = ic.Latency?.Value ?? Deployment.AssumedLinkLatency;
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

    /// <summary>
    /// The deployment for a backend. A layer-split backend (llama.cpp) runs the devices one after another, each holding
    /// its share of the layers: one device's speed with the group's memory capacity (the activation hand-off is ignored).
    /// </summary>
    public static Deployment Resolve(ProfileCatalog catalog, string hardwareId, int? devices, EngineKind? engineKind, int? threads, BackendProfile? backend)
    {
        int n = devices ?? catalog.GetHardware(hardwareId).System?.Count ?? 1;
        if (backend is null || !backend.SplitsByLayer || n == 1) return Resolve(catalog, hardwareId, n, engineKind, threads);
        var d = Resolve(catalog, hardwareId, 1, engineKind, threads);
        var mem = d.Device.Memory.ToList();
        var last = mem[^1];
        mem[^1] = last with { Capacity = new Sourced<Bytes>(new Bytes(last.Capacity.Value.Value * n), last.Capacity.Source) };
        return d with { Device = d.Device with { Memory = mem }, GroupTdp = new Watts(d.GroupTdp.Value * n), GroupIdle = new Watts(d.GroupIdle.Value * n) };
    }
}
