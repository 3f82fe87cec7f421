using PerfSim.Kernels;
using PerfSim.Kernels.Formats;
using MM = PerfSim.Kernels.MatMul.MatMul;

namespace PerfSim.Microbench;

/// <summary>
/// One kernel measurement. M = output rows, K = reduction length, N = activation columns (1 = GEMV).
/// EffectiveWeightGBps = weight bytes / time; Gflops = 2·M·K·N / time.
/// </summary>
public sealed record KernelMeasurement(
    string Format, string Path, int M, int K, int N, int Threads,
    double Milliseconds, double EffectiveWeightGBps, double Gflops, double WeightsPerSecond, long WeightBytes);

/// <summary>Per-format unpack+dot rate with weights hot in L2 — the compute ceiling a few cores hit before DRAM does.</summary>
public sealed record HotUnpackThroughput(string Format, string Path, double WeightsPerSecondOneCore, double WeightsPerSecondAllCores, int Threads, long WeightBytes);

public static class KernelThroughput
{
    /// <summary>Shapes (m outputs, k inputs) from Llama-3-8B: attention, FFN up/gate, FFN down, LM head.</summary>
    public static IReadOnlyList<(int M, int K)> ModelShapes { get; } = new[] { (4096, 4096), (4096, 14336), (14336, 4096), (128256, 4096) };

    public static KernelMeasurement Measure(QuantFormat format, KernelPath path, int m, int k, int n, int threads, int samples = 5, double minSampleSeconds = 0.02)
    {
        using var w = QuantizedMatrix.Random(format, m, k, seed: 42).ToPreferredLayout();
        return Measure(w, path, n, threads, samples, minSampleSeconds);
    }

    public static KernelMeasurement Measure(QuantizedMatrix w, KernelPath path, int n, int threads, int samples = 5, double minSampleSeconds = 0.02)
    {
        int m = w.Rows, k = w.Cols;
        var rng = new Random(1);
        var x = new float[(long)n * k];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        var y = new float[(long)n * m];
        KernelPath p = KernelPaths.Resolve(path);
        double sec = n == 1
            ? Timing.BestSecondsPerCall(() => MM.Gemv(w, x, y, p, threads), samples, minSampleSeconds)
            : Timing.BestSecondsPerCall(() => MM.Gemm(w, x, n, y, p, threads), samples, minSampleSeconds);
        double weights = (double)m * k;
        return new KernelMeasurement(w.Traits.Name, p.ToString(), m, k, n, RowParallelThreads(threads), sec * 1e3,
            w.TotalBytes / sec / 1e9, 2.0 * weights * n / sec / 1e9, weights / sec, w.TotalBytes);
    }

    /// <summary>
    /// GEMV on matrices small enough for L2 with the activation quantized once outside the timed loop. The rate is the
    /// slope between two sizes (Δweights ÷ Δtime), so the fixed per-call cost (hand-off, join; a few µs, as much as the
    /// work itself at these sizes) drops out: the engine charges that cost separately (kernel_costs.matmul_call).
    /// </summary>
    public static HotUnpackThroughput MeasureHot(QuantFormat format, KernelPath path, int threads, long l2BytesPerCore = 0)
    {
        int k = 4096;
        // The larger matrix takes half of a core's L2 (256 KiB when the L2 size is unknown), the smaller a quarter.
        long budget = l2BytesPerCore > 0 ? l2BytesPerCore / 2 : 256L << 10;
        int m = (int)Math.Max(32, budget / QuantFormatTraits.Of(format).RowBytes(k)) & ~7;
        double one = SlopeRate(format, path, m, k, 1, out long bytes);
        // All cores: each thread gets its own share of rows, still L2-resident per core.
        double all = SlopeRate(format, path, m * threads, k, threads, out _);
        return new HotUnpackThroughput(QuantFormatTraits.Of(format).Name, KernelPaths.Resolve(path).ToString(), one, all, threads, bytes);
    }

    private static double SlopeRate(QuantFormat format, KernelPath path, int m, int k, int threads, out long bytes)
    {
        double big = SecondsPerCall(format, path, m, k, threads, out bytes);
        double small = SecondsPerCall(format, path, m / 2, k, threads, out _);
        double slope = big - small;
        // Noise can make the difference tiny or negative on a shared host; then fall back to the plain rate of the
        // larger size (which still includes the per-call cost, so it errs slow, never fast).
        return slope > 0.25 * big ? (double)(m - m / 2) * k / slope : (double)m * k / big;
    }

    private static double SecondsPerCall(QuantFormat format, KernelPath path, int m, int k, int threads, out long bytes)
    {
        using var w = QuantizedMatrix.Random(format, m, k, seed: 7).ToPreferredLayout();
        using var act = new QuantizedActivations();
        var x = new float[k];
        for (int i = 0; i < k; i++) x[i] = (i % 13 - 6) * 0.1f;
        act.Load(x, 1, k);
        var y = new float[m];
        KernelPath p = KernelPaths.Resolve(path);
        double sec = Timing.BestSecondsPerCall(() => MM.Gemv(w, act, y, p, threads), 30, 0.002);
        bytes = w.TotalBytes;
        return sec;
    }

    private static int RowParallelThreads(int threads) => PerfSim.Kernels.MatMul.RowParallel.ThreadCount(threads);
}
