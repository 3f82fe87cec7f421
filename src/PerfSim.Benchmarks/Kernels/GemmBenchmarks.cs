using BenchmarkDotNet.Attributes;
using PerfSim.Kernels;
using PerfSim.Kernels.Formats;
using MM = PerfSim.Kernels.MatMul.MatMul;

namespace PerfSim.Benchmarks.Kernels;

/// <summary>Prefill GEMM: 512 activation columns against W (m=4096 outputs, k=14336), 2 threads — ggml's perf-test shape. q4_0/q8_0 run on the interleaved layout chosen at load.</summary>
public class GemmBenchmarks : IThroughputBenchmark
{
    [Params(QuantFormat.Q4_0, QuantFormat.Q8_0, QuantFormat.F16)]
    public QuantFormat Format { get; set; }

    [Params(512)]
    public int Columns { get; set; }

    [Params(2)]
    public int Threads { get; set; }

    private const int M = 4096, K = 14336;
    private QuantizedMatrix? _w;
    private float[] _x = [], _y = [];

    public double BytesPerOp => QuantFormatTraits.Of(Format).RowBytes(K) * (double)M;
    public double FlopsPerOp => 2.0 * M * K * Columns;

    [GlobalSetup]
    public void Setup()
    {
        _w = QuantizedMatrix.Random(Format, M, K, 42).ToPreferredLayout();
        _x = new float[(long)Columns * K];
        var rng = new Random(1);
        for (int i = 0; i < _x.Length; i++) _x[i] = (float)(rng.NextDouble() * 2 - 1);
        _y = new float[(long)Columns * M];
    }

    [Benchmark]
    public void Gemm() => MM.Gemm(_w!, _x, Columns, _y, KernelPath.Auto, Threads);

    [GlobalCleanup]
    public void Cleanup() => _w?.Dispose();
}
