using PerfSim.Core.Collectives;
using PerfSim.Core.Hardware;
using PerfSim.Core.Units;

namespace PerfSim.Core.Engine;

/// <summary>
/// The hardware a prediction runs on, resolved: the device, the engine chosen on it, the devices that hold one copy
/// of the model (`Devices` = Tp × Pp of the layout), the links that collectives and offloaded weights cross, and the
/// pipeline schedule. Power and price are those of the model-parallel group (a system profile's own figures, or
/// N × the device's); data-parallel replicas multiply them.
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
    int? Threads = null,
    Layout? LayoutSpec = null,
    CollectiveFabric? Fabric = null,
    PipelineSchedule Schedule = PipelineSchedule.MicroBatched)
{
    /// <summary>The layout; a deployment built without one is tensor parallel over its devices.</summary>
    public Layout Layout => LayoutSpec ?? new Layout(Tp: Devices);

    /// <summary>The fabric collectives use: the resolver's, else one flat level from the link fields.</summary>
    public CollectiveFabric CollectiveFabric => Fabric ?? new CollectiveFabric(
        new LinkLevel(CollectiveLink, CollectiveLatency, CollectiveBandwidthPerDevice, false, false), null, Math.Max(1, Devices));

    /// <summary>
    /// Share of the engine's compute the run uses: on a CPU engine with `Threads` set, min(threads, cores) ÷ cores
    /// (SMT threads beyond the core count add no vector throughput); 1 otherwise.
    /// </summary>
    public double ComputeShare =>
        Engine.Kind == EngineKind.Cpu && Threads is { } t && Engine.Cores is { } c && c > 0 ? Math.Clamp((double)Math.Min(t, c) / c, 1e-3, 1) : 1;

    /// <summary>Assumed when a link profile gives no latency: a few microseconds per collective step.</summary>
    public static readonly Seconds AssumedLinkLatency = LinkLevel.AssumedAlpha;

    /// <summary>One device on its own, without a catalog: no links to other devices (a calibrated host, a test device).</summary>
    public static Deployment Standalone(HardwareProfile device, int? threads = null) =>
        new(device, device.DefaultEngine, 1, new BytesPerSecond(0), AssumedLinkLatency, "none", null, new BytesPerSecond(0), null,
            device.Power.Tdp.Value, device.Power.Idle.Value, device.Price.Purchase?.Value, device.Price.CloudHourly?.Value, device.Id, threads);

    /// <summary>Peak bandwidth of the device memory as this engine sees it (an engine may not reach all of a shared memory).</summary>
    public BytesPerSecond PeakBandwidth(MemoryLevel level)
    {
        var bw = level.Bandwidth.Value;
        if (level == Device.DeviceMemory && Engine.MemoryBandwidthLimit is { } limit && limit.Value.Value < bw.Value)
            bw = limit.Value;
        // A CPU core can keep only so many misses in flight: what a run draws from a level grows with the cores it uses
        // (per-core bandwidth) and saturates at the level's. SMT threads share their core's miss buffers. The level's own
        // per-core figure first; for the device memory, the engine's `core_bandwidth` (the DRAM per-core rate) else.
        var perCore = level.CoreBandwidth?.Value ?? (level == Device.DeviceMemory ? Engine.CoreBandwidth?.Value : null);
        if (perCore is { } pc && ActiveCores is { } n)
            bw = new BytesPerSecond(Math.Min(bw.Value, n * pc.Value));
        return bw;
    }

    /// <summary>Physical cores a CPU run keeps busy: min(threads, cores); null when not a CPU or the threads are not set.</summary>
    public int? ActiveCores =>
        Engine.Kind == EngineKind.Cpu && Engine.Cores is { } c && c > 0 ? Math.Clamp(Threads ?? c, 1, c) : null;
}
