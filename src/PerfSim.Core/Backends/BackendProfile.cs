using PerfSim.Core.Hardware;
using PerfSim.Core.Units;
using PerfSim.Core.Workloads;

namespace PerfSim.Core.Backends;

/// <summary>Device memory the backend keeps for itself (CUDA context, allocator pools, workspaces), labelled.</summary>
public sealed record RuntimeReserve(Bytes Value, Basis Basis, string Why);

/// <summary>How a backend parameter is bounded and what it means. Every parameter is shared by all devices.</summary>
public sealed record BackendParameterSpec(string Name, double Min, double Max, double Default, string Unit, string Meaning);

/// <summary>One backend parameter value, labelled measured, fitted or assumed, with the reason or source.</summary>
/// <summary>`Prior` is the assumed value before any fit (kept in the file so refits and leave-one-out start from it, not from an earlier fit).</summary>
public sealed record BackendParameter(double Value, Basis Basis, string Why, double? Prior = null);

/// <summary>
/// The software that runs the model (llama.cpp-cuda, TensorRT-LLM, ...): which engine of a device it uses, which
/// arithmetic its matmuls use per weight format, and a handful of parameters saying how close it gets to that
/// engine's limits. The parameters are shared by every device it runs on (never per device), so they can be fitted
/// to measurements and checked on devices left out of the fit.
/// </summary>
public sealed record BackendProfile(
    string Id,
    string Name,
    EngineKind Engine,
    string Attention,
    IReadOnlyDictionary<string, DataType> ComputeTypes,
    IReadOnlyDictionary<string, BackendParameter> Parameters,
    IReadOnlyList<string> Fitted,
    IReadOnlyList<string> Formats,
    IReadOnlyDictionary<string, string> Sources,
    string? Notes,
    string File,
    IReadOnlyDictionary<string, string>? KvCache = null,
    string MultiDevice = "tensor",
    RuntimeReserve? RuntimeReserve = null,
    IReadOnlyList<string>? LayoutsField = null,
    IReadOnlyList<string>? Vendors = null,
    ComputePath Path = ComputePath.Matrix,
    IReadOnlyList<string>? MatrixPathVendors = null,
    string? KernelsOf = null)
{
    /// <summary>
    /// Parameters of the device kernels (how close the matmuls and streaming get to the hardware): a backend that
    /// declares `kernels_of` shares these with that backend; only its host-side parameters are its own.
    /// </summary>
    public static IReadOnlyList<string> KernelParameters { get; } = ["memory_bandwidth", "gemm", "gemv", "gemm_half_tokens"];

    /// <summary>
    /// The units the matmuls run on for a vendor's device: a vector-path backend may still reach the matrix units on
    /// vendors whose drivers expose them to it (`matrix_path_vendors`, e.g. Vulkan cooperative matrices).
    /// </summary>
    public ComputePath PathOn(string vendor) =>
        Path == ComputePath.Vector && MatrixPathVendors is { } mv && mv.Contains(vendor, StringComparer.OrdinalIgnoreCase)
            ? ComputePath.Matrix : Path;

    /// <summary>True if the backend runs on this vendor's devices (no `vendors:` list: any vendor, e.g. Vulkan, CPU).</summary>
    public bool RunsOn(string vendor) => Vendors is null || Vendors.Contains(vendor, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when the backend splits a model over devices by layers (llama.cpp's default): devices run one after another.</summary>
    public bool SplitsByLayer => MultiDevice == "layer";

    /// <summary>The layout dimensions (tp, pp, ep, dp) the backend can run; by default a tensor backend runs all, a layer-split one pp and dp.</summary>
    public IReadOnlyList<string> Layouts => LayoutsField ?? (SplitsByLayer ? ["pp", "dp"] : ["tp", "pp", "ep", "dp"]);

    public bool Supports(string dimension) => Layouts.Contains(dimension);

    /// <summary>The KV-cache format this backend stores for a quantization (e.g. TensorRT-LLM FP8 recipes keep an FP8 KV cache), or null for the scheme's default.</summary>
    public string? KvCacheFor(QuantScheme q) => KvCache is not null && KvCache.TryGetValue(Family(q), out var k) ? k : null;

    /// <summary>The parameters a backend may set; anything not written takes the default (and is labelled assumed).</summary>
    public static IReadOnlyList<BackendParameterSpec> Specs { get; } =
    [
        new("memory_bandwidth", 0.05, 1, 0.8, "fraction", "share of the memory level's peak bandwidth the weight/KV streaming kernels reach"),
        new("gemm", 0.002, 1, 0.6, "fraction", "share of the engine's peak (for the compute type) a large-M matmul reaches"),
        new("gemv", 0.002, 1, 0.3, "fraction", "share of the peak an M=1 matmul's arithmetic reaches (matters only if decode is not memory-bound)"),
        new("gemm_half_tokens", 1, 4096, 16, "tokens", "activation rows the backend's kernels need, beyond the device's tile fill, for matmul efficiency to be half-way from gemv to gemm (saturating curve in M)"),
        new("overhead_per_step", 0, 0.05, 0, "s", "fixed host/framework time per forward pass (sampling, synchronisation, graph launch)"),
        new("overhead_per_layer", 0, 0.002, 0, "s", "fixed time per layer per forward pass (kernel launches and barriers)"),
        new("overhead_per_collective", 0, 0.005, 0, "s", "framework time per collective call (all-reduce, all-gather) the devices wait for beyond the link's own latency and transfer (host-side launch and synchronisation of the communicator)"),
        new("overhead_per_sequence", 0, 0.005, 0, "s", "host time per sequence in a forward pass, serial with the device (scheduling, sampling, detokenising and streaming each sequence's token when the engine does not overlap them with the next step)"),
        new("unpack_int4", 0, 200, 0, "ops/weight", "vector operations per 4-bit weight to unpack and scale it, at the engine's fp32 vector peak (GEMV kernel bound)"),
        new("unpack_int8", 0, 200, 0, "ops/weight", "vector operations per 8-bit weight to unpack and scale it, at the engine's fp32 vector peak"),
        new("unpack_f16", 0, 200, 0, "ops/weight", "vector operations per 16-bit weight (conversion to the compute type), at the engine's fp32 vector peak"),
    ];

    public static BackendParameterSpec Spec(string name) =>
        Specs.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"unknown backend parameter '{name}'");

    /// <summary>A parameter's value, or its spec default when the profile does not set it.</summary>
    public double Value(string name) => Parameters.TryGetValue(name, out var p) ? p.Value : Spec(name).Default;

    /// <summary>The value a parameter had before fitting (its prior), else its current value.</summary>
    public double PriorValue(string name) => Parameters.TryGetValue(name, out var p) ? p.Prior ?? p.Value : Spec(name).Default;

    /// <summary>This profile with its fitted parameters put back to their priors (what a fit starts from).</summary>
    public BackendProfile AtPrior()
    {
        var p = new Dictionary<string, BackendParameter>(Parameters, StringComparer.Ordinal);
        foreach (var name in Fitted)
            p[name] = new BackendParameter(PriorValue(name), Basis.Assumed, "prior", PriorValue(name));
        return this with { Parameters = p };
    }

    /// <summary>The weight-format family a quantization belongs to: int4, int8, fp8 or f16.</summary>
    public static string Family(QuantScheme q) => q.WeightType switch
    {
        DataType.Int4 or DataType.Fp4 => "int4",
        DataType.Int8 => "int8",
        DataType.Fp8 => "fp8",
        _ => "f16",
    };

    /// <summary>A copy with some parameters replaced (used by the fitter).</summary>
    public BackendProfile With(IReadOnlyDictionary<string, double> values, Basis basis, string why)
    {
        var p = new Dictionary<string, BackendParameter>(Parameters, StringComparer.Ordinal);
        foreach (var (k, v) in values) p[k] = new BackendParameter(v, basis, why, PriorValue(k));
        return this with { Parameters = p };
    }
}
