using BenchmarkDotNet.Attributes;
using PerfSim.Kernels;
using PerfSim.Kernels.Formats;
using MM = PerfSim.Kernels.MatMul.MatMul;

namespace PerfSim.Benchmarks.Kernels;

/// <summary>
/// Per-call cost of a 2-thread GEMV: a 32×4096 q4_0 matrix (72 KiB, L2-resident) is so little work that the time is
/// quantizing the 4096-long activation, waking the worker, and joining. The 4096×4096 q4_0 loop is in <see cref="GemvBenchmarks"/>.
/// </summary>
public class CallOverheadBenchmarks : IThroughputBenchmark
{
    [Params(2)]
    public int Threads { get; set; }

    private const int M = 32, K = 4096;
    private QuantizedMatrix? _w;
    private float[] _x = [], _y = [];

    public double BytesPerOp => QuantFormatTraits.Q4_0.RowBytes(K) * (double)M;
    public double FlopsPerOp => 2.0 * M * K;

    [GlobalSetup]
    public void Setup()
    {
        _w = QuantizedMatrix.Random(QuantFormat.Q4_0, M, K, 42).ToPreferredLayout();
        _x = new float[K];
        var rng = new Random(1);
        for (int i = 0; i < K; i++) _x[i] = (float)(rng.NextDouble() * 2 - 1);
        _y = new float[M];
    }

    [Benchmark]
    public void SmallGemv() => MM.Gemv(_w!, _x, _y, KernelPath.Auto, Threads);

    [GlobalCleanup]
    public void Cleanup() => _w?.Dispose();
}
