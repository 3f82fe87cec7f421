using BenchmarkDotNet.Attributes;
using PerfSim.Kernels;
using PerfSim.Kernels.Formats;
using MM = PerfSim.Kernels.MatMul.MatMul;

namespace PerfSim.Benchmarks.Kernels;

/// <summary>Each SIMD path on the 4096×4096 GEMV (scalar included here only: the shape is small enough).</summary>
public class GemvPathBenchmarks : IThroughputBenchmark
{
    [Params(QuantFormat.Q4_0, QuantFormat.Q8_0, QuantFormat.F16)]
    public QuantFormat Format { get; set; }

    [Params(KernelPath.Scalar, KernelPath.Vector128, KernelPath.Avx2, KernelPath.Avx512)]
    public KernelPath Path { get; set; }

    [Params(2)]
    public int Threads { get; set; }

    private const int M = 4096, K = 4096;
    private QuantizedMatrix? _w;
    private float[] _x = [], _y = [];

    public double BytesPerOp => QuantFormatTraits.Of(Format).RowBytes(K) * (double)M;
    public double FlopsPerOp => 2.0 * M * K;

    [GlobalSetup]
    public void Setup()
    {
        _w = QuantizedMatrix.Random(Format, M, K, 42).ToPreferredLayout();
        _x = new float[K];
        var rng = new Random(1);
        for (int i = 0; i < K; i++) _x[i] = (float)(rng.NextDouble() * 2 - 1);
        _y = new float[M];
    }

    [Benchmark]
    public void Gemv()
    {
        if (!KernelPaths.IsSupported(Path)) return; // unsupported on this host: reported as ~0 ns
        MM.Gemv(_w!, _x, _y, Path, Threads);
    }

    [GlobalCleanup]
    public void Cleanup() => _w?.Dispose();
}
