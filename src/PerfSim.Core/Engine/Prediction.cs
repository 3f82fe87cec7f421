using PerfSim.Core.Hardware;
using PerfSim.Core.Units;

namespace PerfSim.Core.Engine;

public sealed record OperatorResult(
    Operator Operator,
    RooflinePoint PerOccurrence,
    Seconds Total,
    string WeightsFrom,
    Collectives.CollectiveCost? Collective = null);

/// <summary>One stage (prefill, or one decode step at the mean context) on one device of the group.</summary>
public sealed record StageResult(
    Stage Stage,
    Seconds Time,
    double Tokens,
    double ContextTokens,
    Bound Bound,
    double Flops,
    IReadOnlyDictionary<string, double> BytesByLevel,
    IReadOnlyDictionary<Bound, Seconds> TimeByBound,
    Seconds Overhead,
    IReadOnlyList<OperatorResult> Operators,
    Seconds Communication = default,
    Seconds PipelineHandOff = default)
{
    /// <summary>Share of the stage's time spent waiting for collectives and pipeline hand-offs.</summary>
    public double CommunicationShare => Time.Value > 0 ? Communication.Value / Time.Value : 0;
    public double TokensPerSecond => Time.Value > 0 ? Tokens / Time.Value : 0;
    public double BytesMoved => BytesByLevel.Values.Sum();
}

public sealed record MemoryFootprint(
    Bytes Weights,
    Bytes KvCache,
    Bytes Activations,
    Bytes Capacity,
    bool Fits,
    bool OffloadAllowed,
    double ResidentFraction,
    string StreamedFrom,
    string ActivationsFrom,
    Bytes RuntimeReserve = default,
    int MaxBatch = 0,
    int KvShards = 1,
    bool KvReplicated = false,
    string? CachedFrom = null,
    double CachedShare = 0)
{
    /// <summary>Per device of the group, with the backend's runtime reserve.</summary>
    public Bytes Total => Weights + KvCache + Activations + RuntimeReserve;
    /// <summary>It runs if it fits, or if what does not fit may stream over the host link.</summary>
    public bool Runnable => Fits || OffloadAllowed;

    /// <summary>The device's levels this footprint names: streaming, activations, and the cache holding a share of the stream (if any).</summary>
    public (MemoryLevel Stream, MemoryLevel Activations, MemoryLevel? Cached) LevelsOn(HardwareProfile device) =>
        (device.Memory.First(m => m.Id == StreamedFrom), device.Memory.First(m => m.Id == ActivationsFrom),
            CachedFrom is { } cf ? device.Memory.First(m => m.Id == cf) : null);
}

public sealed record Utilization(double Compute, double MemoryBandwidth);

/// <summary>
/// Energy for one unit of work, split into arithmetic, data movement per memory level (on-chip levels included),
/// links, static (idle power × time) and the active baseline (clocks, leakage and fabric while kernels run).
/// </summary>
public sealed record EnergyBreakdown(Joules Arithmetic, IReadOnlyDictionary<string, Joules> DataMovement, Joules Links, Joules Static,
    Joules ActiveBaseline = default)
{
    public Joules Total => new(Arithmetic.Value + DataMovement.Values.Sum(j => j.Value) + Links.Value + Static.Value + ActiveBaseline.Value);
}

public sealed record EnergyResult(
    EnergyBreakdown DecodePerToken,
    EnergyBreakdown PrefillPerPromptToken,
    Joules PerQuery,
    Watts DecodePower,
    Watts PrefillPower,
    bool ExceedsTdp,
    Watts Cap = default,
    bool DecodeCapBinds = false,
    bool PrefillCapBinds = false,
    double DecodeClockScale = 1,
    double PrefillClockScale = 1,
    string PowerClass = "")
{
    /// <summary>Whether the power limit held a stage's clock below full speed.</summary>
    public bool CapBinds => DecodeCapBinds || PrefillCapBinds;
    public double JoulesPerToken => DecodePerToken.Total.Value;
}

public sealed record CostResult(double UsdPerHour, double UsdPerMillionTokens, double UsdPerQuery, string Basis);

public sealed record Prediction(
    string HardwareId,
    string EngineId,
    int Devices,
    Workload Workload,
    ExecutionModel Execution,
    Assumptions Assumptions,
    StageResult Prefill,
    StageResult Decode,
    Seconds Ttft,
    Seconds Tpot,
    Seconds EndToEnd,
    Utilization DecodeUtilization,
    Utilization PrefillUtilization,
    EnergyResult Energy,
    CostResult? Cost,
    MemoryFootprint Memory,
    IReadOnlyList<string> Warnings,
    Layout? LayoutUsed = null)
{
    public Layout Layout => LayoutUsed ?? new Layout(Tp: Devices);
    /// <summary>Aggregate decode rate over the whole batch (tokens/s).</summary>
    public double DecodeTokensPerSecond => Workload.Scenario.Batch / Tpot.Value;
    public double DecodeTokensPerSecondPerSequence => 1 / Tpot.Value;
    /// <summary>Prompt tokens processed per second over the batch.</summary>
    public double PrefillTokensPerSecond => Prefill.TokensPerSecond;

    /// <summary>Generated tokens per second end to end (prefill included) over the batch, times data-parallel replicas.</summary>
    public double GeneratedTokensPerSecond(int replicas = 1) =>
        (double)Workload.Scenario.Batch * Workload.Scenario.GeneratedTokens / EndToEnd.Value * replicas;
}
