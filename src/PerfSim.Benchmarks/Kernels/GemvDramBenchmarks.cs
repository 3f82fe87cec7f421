using BenchmarkDotNet.Attributes;
using PerfSim.Kernels;
using PerfSim.Kernels.Formats;
using MM = PerfSim.Kernels.MatMul.MatMul;

namespace PerfSim.Benchmarks.Kernels;

/// <summary>
/// Decode GEMV on DRAM-resident weights, 2 threads: one operation is one GEMV each over distinct copies of the matrix
/// totalling ≥ 512 MiB (16× the 32 MiB L3), so no call finds its weights in cache (the single-matrix
/// <see cref="GemvBenchmarks"/> partly do). The GB/s column is per operation's weight bytes and is what the issue-16
/// goal compares with the read-bandwidth probe (../shared/bench/bw.c, `./bw 2 1024`) run beside it.
/// </summary>
public class GemvDramBenchmarks : IThroughputBenchmark
{
    [Params(QuantFormat.Q4_0, QuantFormat.Q8_0, QuantFormat.F16)]
    public QuantFormat Format { get; set; }

    [Params(2)]
    public int Threads { get; set; }

    private QuantizedMatrix[] _ws = [];
    private float[] _x = [], _y = [];

    /// <summary>q4_0/q8_0: m = 4096, k = 14336 (FFN down); f16: m = 14336, k = 4096 (the f16 shape).</summary>
    private (int M, int K) Dims => Format == QuantFormat.F16 ? (14336, 4096) : (4096, 14336);

    private long MatrixBytes => QuantFormatTraits.Of(Format).RowBytes(Dims.K) * (long)Dims.M;

    /// <summary>Distinct copies: computed from the shape alone (the throughput columns read it on a fresh instance).</summary>
    private int Copies => (int)Math.Max(2, (GoalRun.DramWorkingSetBytes + MatrixBytes - 1) / MatrixBytes);

    public double BytesPerOp => MatrixBytes * (double)Copies;
    public double FlopsPerOp => 2.0 * Dims.M * Dims.K * (double)Copies;

    [GlobalSetup]
    public void Setup()
    {
        (int m, int k) = Dims;
        int copies = Copies;
        _ws = new QuantizedMatrix[copies];
        for (int i = 0; i < copies; i++) _ws[i] = QuantizedMatrix.Random(Format, m, k, 42 + (ulong)i).ToPreferredLayout();
        _x = new float[k];
        var rng = new Random(1);
        for (int i = 0; i < k; i++) _x[i] = (float)(rng.NextDouble() * 2 - 1);
        _y = new float[m];
    }

    /// <summary>One GEMV per copy; divide Min/Median by the copy count (17 q4_0, 9 q8_0, 5 f16) for the time per GEMV.</summary>
    [Benchmark]
    public void GemvAllCopies()
    {
        foreach (var w in _ws) MM.Gemv(w, _x, _y, KernelPath.Auto, Threads);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var w in _ws) w.Dispose();
    }
}
