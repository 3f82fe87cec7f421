using BenchmarkDotNet.Attributes;
using PerfSim.Kernels;
using PerfSim.Kernels.Formats;
using MM = PerfSim.Kernels.MatMul.MatMul;

namespace PerfSim.Benchmarks.Kernels;

/// <summary>
/// Decode GEMV y = W·x on Llama-3-8B shapes, 2 threads (the ggml comparison setting), best SIMD path.
/// "4096x14336" means m=4096 outputs, k=14336 inputs (FFN down); 128256x4096 is the LM head.
/// </summary>
public class GemvBenchmarks : IThroughputBenchmark
{
    [Params(QuantFormat.Q4_0, QuantFormat.Q8_0, QuantFormat.F16)]
    public QuantFormat Format { get; set; }

    [Params("4096x14336", "4096x4096", "14336x4096", "128256x4096")]
    public string Shape { get; set; } = "4096x14336";

    [Params(2)]
    public int Threads { get; set; }

    private QuantizedMatrix? _w;
    private float[] _x = [], _y = [];

    private (int M, int K) Dims => (int.Parse(Shape.Split('x')[0]), int.Parse(Shape.Split('x')[1]));

    public double BytesPerOp => QuantFormatTraits.Of(Format).RowBytes(Dims.K) * (double)Dims.M;
    public double FlopsPerOp => 2.0 * Dims.M * Dims.K;

    [GlobalSetup]
    public void Setup()
    {
        (int m, int k) = Dims;
        _w = QuantizedMatrix.Random(Format, m, k, 42).ToPreferredLayout();
        _x = new float[k];
        var rng = new Random(1);
        for (int i = 0; i < k; i++) _x[i] = (float)(rng.NextDouble() * 2 - 1);
        _y = new float[m];
    }

    [Benchmark]
    public void Gemv() => MM.Gemv(_w!, _x, _y, KernelPath.Auto, Threads);

    [GlobalCleanup]
    public void Cleanup() => _w?.Dispose();
}
