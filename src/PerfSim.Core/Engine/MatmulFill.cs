using PerfSim.Core.Hardware;

namespace PerfSim.Core.Engine;

/// <summary>
/// How many activation rows a matmul needs before its output tiles keep a GPU's engines busy. A GEMM of M rows and N
/// output columns is cut into T = (M ÷ tile rows) × (N ÷ tile columns) tiles, run one per streaming multiprocessor /
/// compute unit / GPU core at a time, in waves of E (the engine count); the engines are busy T ÷ (E × ⌈T ÷ E⌉) of the
/// time. A saturating curve T ÷ (T + E/2) follows that exactly at T = E/2 and T = 1.5 E and on average over the
/// last partial wave, so the half-way point is where half the engines have a tile: M = E × tile rows × tile columns
/// ÷ (2 N) (a 4096-wide matmul on an H100's 132 SMs with 128 × 128 tiles: 264 rows; all 132 SMs get a tile at 528).
/// It joins the backend's own ramp in <see cref="ExecutionModel.ComputeEfficiency"/>, so a backend fitted on one GPU
/// carries to a GPU with more or fewer engines through the engine count (datasheet `cores`) instead of a per-backend
/// constant.
/// </summary>
public static class MatmulFill
{
    /// <summary>A GEMM output tile: `Rows` activation rows (tokens) × `Columns` output columns, and why it is assumed.</summary>
    public sealed record Tile(int Rows, int Columns, string Why);

    /// <summary>Assumed: matrix-unit GEMMs on NVIDIA and AMD GPUs.</summary>
    public static readonly Tile MatrixGpu = new(128, 128,
        "assumed: the large-GEMM thread-block tile of cuBLAS/CUTLASS/TensorRT-LLM and hipBLASLt on tensor/matrix cores is 128×128 to 128×256, and llama.cpp's MMQ kernels tile 128 weight rows × up to 128 tokens; the smaller of these");

    /// <summary>Assumed: Apple GPUs (Metal simdgroup-matrix kernels).</summary>
    public static readonly Tile AppleGpu = new(32, 64,
        "assumed: llama.cpp's Metal kernel_mul_mm computes a 64-column × 32-token block per threadgroup");

    /// <summary>Assumed: vector-ALU (shader) GEMMs, e.g. llama.cpp's Vulkan matmul shaders without cooperative matrices.</summary>
    public static readonly Tile VectorGpu = new(64, 64,
        "assumed: ggml-vulkan's medium matmul shader tile is 64×64 (large 128×128, small 32×32)");

    /// <summary>The tile a GPU matmul runs with, or null where no fill is modelled (CPU, NPU, accelerator; see <see cref="Tokens"/>).</summary>
    public static Tile? For(ComputeEngine engine, string vendor, ComputePath path) => engine.Kind switch
    {
        EngineKind.Gpu when vendor.Equals("apple", StringComparison.OrdinalIgnoreCase) => AppleGpu,
        EngineKind.Gpu => path == ComputePath.Vector ? VectorGpu : MatrixGpu,
        _ => null,
    };

    /// <summary>
    /// Rows at which a matmul of `width` output columns gives half of the engine's `cores` (times the share of them in
    /// use) a tile.
    /// 0 on CPUs (a core's micro-kernel tile is a few rows, full within the backend's own ramp), on NPUs and
    /// accelerators (compiled static tiling, and no engine count in the datasheets), without a `cores` figure, or for
    /// an operator of unknown width.
    /// </summary>
    public static double Tokens(ComputeEngine engine, string vendor, ComputePath path, double coreShare, double width)
    {
        if (width <= 0 || engine.Cores is not { } cores || For(engine, vendor, path) is not { } tile) return 0;
        return cores * Math.Clamp(coreShare, 0, 1) * tile.Rows * tile.Columns / (2 * width);
    }
}
