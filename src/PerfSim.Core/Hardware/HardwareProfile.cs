using PerfSim.Core.Units;

namespace PerfSim.Core.Hardware;

/// <summary>A value together with the source that justifies it (a key into the profile's sources).</summary>
public readonly record struct Sourced<T>(T Value, string Source);

/// <summary>An achievable fraction of a peak, labelled measured, fitted or assumed, with the reason.</summary>
public sealed record Efficiency(double Value, Basis Basis, string Why);

/// <summary>Achievable fractions for an engine: sustained memory bandwidth, GEMM (prefill) and GEMV (decode) compute.</summary>
public sealed record EngineEfficiency(Efficiency MemoryBandwidth, Efficiency Gemm, Efficiency Gemv);

/// <summary>
/// One compute engine (CPU cores, a GPU, an NPU) with dense peaks per data type. A calibrated engine may also carry
/// measured kernel rates per weight format: `GemvKernelRate` (weight bytes/s a GEMV kernel unpacks with the weights hot
/// in cache — the unpack ceiling) and `GemmKernelRate` (FLOP/s its GEMM reaches), which override peak × efficiency.
/// </summary>
public sealed record ComputeEngine(
    string Id,
    EngineKind Kind,
    bool IsDefault,
    IReadOnlyDictionary<DataType, Sourced<OpsPerSecond>> DensePeak,
    IReadOnlyDictionary<DataType, Sourced<OpsPerSecond>> SparsePeak,
    IReadOnlyDictionary<DataType, Sourced<JoulesPerOp>> EnergyPerOp,
    EngineEfficiency Efficiency,
    Sourced<BytesPerSecond>? MemoryBandwidthLimit,
    IReadOnlyDictionary<string, Sourced<BytesPerSecond>> GemvKernelRate,
    int? Cores,
    Sourced<Hertz>? Clock,
    IReadOnlyDictionary<string, Sourced<OpsPerSecond>>? GemmKernelRate = null,
    IReadOnlyDictionary<DataType, Sourced<OpsPerSecond>>? VectorPeak = null,
    Sourced<BytesPerSecond>? CoreBandwidth = null,
    HostKernelCosts? KernelCosts = null)
{
    /// <summary>
    /// The dense rate of the vector ALUs for <paramref name="type"/>: the engine's `vector_peak` along the fallback chain;
    /// without one, a CPU's own peaks (a CPU that lists no vector peak has no matrix unit), else the fp32 dense peak (every engine's fp32 figure is its vector FMA rate: no matrix unit runs plain
    /// fp32), and on an engine that lists no fp32 either, its matrix peak (nothing better is known).
    /// </summary>
    public (DataType Type, OpsPerSecond Peak) VectorPeakFor(DataType type)
    {
        if (VectorPeak is { Count: > 0 } v)
        {
            foreach (var t in type.FallbackChain())
                if (v.TryGetValue(t, out var p)) return (t, p.Value);
            var widest = v.OrderByDescending(kv => kv.Key.Bytes()).First();
            return (widest.Key, widest.Value.Value);
        }
        // A CPU without a listed vector peak has no matrix unit: its FMA/VNNI/SDOT peaks are the vector rates.
        if (Kind == EngineKind.Cpu) return PeakFor(type);
        return DensePeak.TryGetValue(DataType.Fp32, out var fp32) ? (DataType.Fp32, fp32.Value) : PeakFor(type);
    }

    /// <summary>The peak of a compute path for work of type <paramref name="type"/>.</summary>
    public (DataType Type, OpsPerSecond Peak) PeakFor(DataType type, ComputePath path) =>
        path == ComputePath.Vector ? VectorPeakFor(type) : PeakFor(type);

    /// <summary>The dense peak used for work of type <paramref name="type"/>, following the fallback chain.</summary>
    public (DataType Type, OpsPerSecond Peak) PeakFor(DataType type)
    {
        foreach (var t in type.FallbackChain())
            if (DensePeak.TryGetValue(t, out var p)) return (t, p.Value);
        // Every engine has at least one peak (the loader guarantees it): use the widest it has.
        var widest = DensePeak.OrderByDescending(kv => kv.Key.Bytes()).First();
        return (widest.Key, widest.Value.Value);
    }
}

/// <summary>
/// Fixed costs of a host's own kernels, measured by microbenchmarks (`calibrate`): the time of one matmul call beyond
/// its streaming (activation quantization, hand-off to the worker pool, join), and the decode-attention kernel's rate
/// (fixed time per layer plus KV bytes per second).
/// </summary>
public sealed record HostKernelCosts(Sourced<Seconds> MatmulCall, Sourced<Seconds> AttentionCall, Sourced<BytesPerSecond> AttentionKvRate);

/// <summary>
/// One level of the memory hierarchy, innermost (registers, SRAM) to outermost (DRAM, HBM). `CoreBandwidth` (CPUs): the
/// read rate one core draws from this level, so a run on N cores gets min(N × it, `Bandwidth`); absent, a run on any
/// number of cores gets the whole `Bandwidth` (the DRAM level may take the engine's `core_bandwidth` instead).
/// </summary>
public sealed record MemoryLevel(
    string Id,
    MemoryKind Kind,
    Sourced<Bytes> Capacity,
    Sourced<BytesPerSecond> Bandwidth,
    Sourced<JoulesPerByte>? EnergyPerByte,
    string? Technology,
    Sourced<BytesPerSecond>? CoreBandwidth = null);

public sealed record PowerSpec(Sourced<Watts> Tdp, Sourced<Watts> Idle, Sourced<Watts>? Sustained);

public sealed record PriceSpec(Sourced<Usd>? Purchase, string? PurchaseDate, Sourced<UsdPerHour>? CloudHourly, string? CloudDate);

/// <summary>A link of a device by reference to an interconnect profile, with how many such links it has.</summary>
public sealed record LinkRef(string Interconnect, int Count, string Source);

/// <summary>A multi-device system: N devices of one profile joined by a fabric, with NICs for scale-out.</summary>
public sealed record SystemSpec(string Device, int Count, LinkRef Fabric, LinkRef? ScaleOut, int? HostCpus, string? HostCpu);

public sealed record HardwareProfile(
    string Id,
    string Name,
    DeviceKind Kind,
    string Vendor,
    int Year,
    string? Extends,
    IReadOnlyDictionary<string, string> Sources,
    IReadOnlyList<ComputeEngine> Engines,
    IReadOnlyList<MemoryLevel> Memory,
    PowerSpec Power,
    PriceSpec Price,
    LinkRef? HostLink,
    LinkRef? DeviceLink,
    bool AllowOffload,
    SystemSpec? System,
    string File)
{
    public ComputeEngine DefaultEngine => Engines.FirstOrDefault(e => e.IsDefault) ?? Engines[0];

    public ComputeEngine? EngineOfKind(EngineKind kind) => Engines.FirstOrDefault(e => e.Kind == kind);

    /// <summary>The outermost level: the device memory that must hold the weights.</summary>
    public MemoryLevel DeviceMemory => Memory[^1];

    public string SourceText(string key) => Sources.TryGetValue(key, out var s) ? s : key;
}
