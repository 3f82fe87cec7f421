using PerfSim.Core.Backends;
using PerfSim.Core.Hardware;
using PerfSim.Core.Units;
using PerfSim.Core.Workloads;

namespace PerfSim.Core.Engine;

/// <summary>
/// How close software gets to the engine's limits: the roofline's efficiency factors and fixed overheads.
/// Either the ideal backend (the hardware profile's own labelled efficiencies, no overheads) or a backend profile.
/// A backend may also fix the matmul arithmetic per weight-format family (`ComputeTypes`: llama.cpp's quantized
/// CUDA kernels use int8 dot products) and a per-weight unpack cost (`UnpackOpsPerWeight`, vector ops per weight at
/// the engine's fp32 peak), which bounds GEMV kernels on engines with little ALU per byte of bandwidth.
/// `OverheadPerSequence`: host time per sequence of a step that the device waits for (an engine that does not overlap
/// its scheduler and output processing with the GPU, e.g. vLLM before 0.6); `OverheadPerCollective`: framework time per
/// collective call beyond the link's α–β time; the device draws idle power during both.
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
    string Description,
    IReadOnlyDictionary<string, DataType>? ComputeTypes = null,
    IReadOnlyDictionary<string, double>? UnpackOpsPerWeight = null,
    Bytes RuntimeReserve = default,
    ComputePath Path = ComputePath.Matrix,
    IReadOnlyList<string>? MatrixPathVendors = null,
    Seconds OverheadPerSequence = default,
    Seconds OverheadPerCollective = default)
{
    /// <summary>The compute path on a device of this vendor (see <see cref="BackendProfile.PathOn"/>).</summary>
    public ComputePath PathOn(string vendor) =>
        Path == ComputePath.Vector && MatrixPathVendors is { } mv && mv.Contains(vendor, StringComparer.OrdinalIgnoreCase)
            ? ComputePath.Matrix : Path;

    /// <summary>Assumed: GEMM efficiency is half-way from GEMV to full at 16 rows (a tensor-core tile's height).</summary>
    public const double IdealGemmHalfTokens = 16;

    public static ExecutionModel Ideal(ComputeEngine engine) => new(
        "ideal", true, null,
        engine.Efficiency.MemoryBandwidth.Value, engine.Efficiency.Gemv.Value, engine.Efficiency.Gemm.Value,
        IdealGemmHalfTokens, Seconds.Zero, Seconds.Zero,
        "ideal backend: roofline with the hardware profile's efficiencies, no software overheads");

    /// <summary>A backend's execution model; matmul efficiency never falls with M (gemv is capped at gemm).</summary>
    public static ExecutionModel From(BackendProfile b) => new(
        b.Id, false, b.Engine,
        b.Value("memory_bandwidth"), Math.Min(b.Value("gemv"), b.Value("gemm")), b.Value("gemm"),
        b.Value("gemm_half_tokens"), new Seconds(b.Value("overhead_per_step")), new Seconds(b.Value("overhead_per_layer")),
        $"backend {b.Id}: {b.Name}",
        b.ComputeTypes,
        new Dictionary<string, double>
        {
            ["int4"] = b.Value("unpack_int4"),
            ["int8"] = b.Value("unpack_int8"),
            ["f16"] = b.Value("unpack_f16"),
        },
        b.RuntimeReserve?.Value ?? Bytes.Zero,
        b.Path, b.MatrixPathVendors,
        new Seconds(b.Value("overhead_per_sequence")),
        new Seconds(b.Value("overhead_per_collective")));

    /// <summary>
    /// Achieved fraction of peak compute for a matmul with `tokens` activation rows (saturating in M). The half-way
    /// point is the backend's own ramp (`gemm_half_tokens`) plus `fillTokens`, the rows the device needs before the
    /// matmul's output tiles cover all its engines (<see cref="MatmulFill"/>; 0 where unknown).
    /// </summary>
    public double ComputeEfficiency(double tokens, double fillTokens = 0)
    {
        var share = tokens / (tokens + GemmHalfTokens + Math.Max(0, fillTokens));
        return GemvEfficiency + (GemmEfficiency - GemvEfficiency) * share;
    }

    /// <summary>The arithmetic the matmuls of this quantization use: the backend's choice, else the scheme's.</summary>
    public DataType ComputeTypeFor(QuantScheme q) =>
        ComputeTypes is not null && ComputeTypes.TryGetValue(BackendProfile.Family(q), out var t) ? t : q.ComputeType;

    /// <summary>Vector ops per weight the matmul kernel spends unpacking this format (0: none modelled).</summary>
    public double UnpackOps(QuantScheme q) =>
        UnpackOpsPerWeight is not null && UnpackOpsPerWeight.TryGetValue(BackendProfile.Family(q), out var v) ? v : 0;
}
