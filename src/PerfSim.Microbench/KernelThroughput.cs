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
    /// GEMV on a matrix small enough for L2 (≈256 KiB of weights per core) with the activation quantized once
    /// outside the timed loop, so time is pure unpack+dot work, not DRAM and not per-call overhead.
    /// </summary>
    public static HotUnpackThroughput MeasureHot(QuantFormat format, KernelPath path, int threads)
    {
        int k = 4096;
        int m = (int)Math.Max(16, (256L << 10) / QuantFormatTraits.Of(format).RowBytes(k)) & ~3;
        double one = HotRate(format, path, m, k, 1, out long bytes);
        // All cores: each thread gets its own share of rows, still L2-resident per core.
        double all = HotRate(format, path, m * threads, k, threads, out _);
        return new HotUnpackThroughput(QuantFormatTraits.Of(format).Name, KernelPaths.Resolve(path).ToString(), one, all, threads, bytes);
    }

    private static double HotRate(QuantFormat format, KernelPath path, int m, int k, int threads, out long bytes)
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
        return (double)m * k / sec;
    }

    private static int RowParallelThreads(int threads) => PerfSim.Kernels.MatMul.RowParallel.ThreadCount(threads);
}
