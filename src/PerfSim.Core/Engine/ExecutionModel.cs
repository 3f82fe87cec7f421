using PerfSim.Core.Backends;
using PerfSim.Core.Hardware;
using PerfSim.Core.Units;

namespace PerfSim.Core.Engine;

/// <summary>
/// How close software gets to the engine's limits: the roofline's efficiency factors and fixed overheads.
/// Either the ideal backend (the hardware profile's own labelled efficiencies, no overheads) or a backend profile.
/// </summary>
public sealed record ExecutionModel(
    string Id,
    bool IsIdeal,
    EngineKind? Engine,
    double MemoryBandwidthEfficiency,
    double GemvEfficiency,
    double GemmEfficiency,
    double GemmHalfTokens,
    Seconds OverheadPerStep,
    Seconds OverheadPerLayer,
    string Description)
{
    /// <summary>Assumed: GEMM efficiency is half-way from GEMV to full at 16 rows (a tensor-core tile's height).</summary>
    public const double IdealGemmHalfTokens = 16;

    public static ExecutionModel Ideal(ComputeEngine engine) => new(
        "ideal", true, null,
        engine.Efficiency.MemoryBandwidth.Value, engine.Efficiency.Gemv.Value, engine.Efficiency.Gemm.Value,
        IdealGemmHalfTokens, Seconds.Zero, Seconds.Zero,
        "ideal backend: roofline with the hardware profile's efficiencies, no software overheads");

    public static ExecutionModel From(BackendProfile b) => new(
        b.Id, false, b.Engine,
        b.Efficiency.MemoryBandwidth.Value, b.Efficiency.Gemv.Value, b.Efficiency.Gemm.Value,
        b.GemmHalfTokens, b.OverheadPerStep.Value, b.OverheadPerLayer.Value, b.Name);

    /// <summary>Achieved fraction of peak compute for a matmul with `tokens` activation rows (saturating in M).</summary>
    public double ComputeEfficiency(double tokens)
    {
        var share = tokens / (tokens + GemmHalfTokens);
        return GemvEfficiency + (GemmEfficiency - GemvEfficiency) * share;
    }
}
