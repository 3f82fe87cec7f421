using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using PerfSim.Microbench;

namespace PerfSim.Benchmarks.Kernels;

/// <summary>Baseline: streaming read of a 256 MiB buffer (8× the LLC) — the ceiling for GEMV.</summary>
public unsafe class MemoryBandwidthBenchmarks : IThroughputBenchmark
{
    [Params(1, 2)]
    public int Threads { get; set; }

    private const long Bytes = 256L << 20;
    private byte* _buf;

    public double BytesPerOp => Bytes;
    public double FlopsPerOp => 0;

    [GlobalSetup]
    public void Setup()
    {
        _buf = (byte*)NativeMemory.AlignedAlloc((nuint)Bytes, 64);
        NativeMemory.Fill(_buf, (nuint)Bytes, 1);
    }

    [Benchmark]
    public void Read()
    {
        long chunk = Bytes / Threads;
        nint p = (nint)_buf;
        if (Threads == 1) MemoryLadder.Read(_buf, Bytes);
        else Parallel.For(0, Threads, i => MemoryLadder.Read((byte*)p + i * chunk, chunk));
    }

    [GlobalCleanup]
    public void Cleanup() => NativeMemory.AlignedFree(_buf);
}
