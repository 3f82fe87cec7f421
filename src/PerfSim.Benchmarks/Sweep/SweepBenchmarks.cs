using BenchmarkDotNet.Attributes;
using PerfSim.Composition;
using PerfSim.Data.Catalog;
using PerfSim.Sweep;

namespace PerfSim.Benchmarks.Sweep;

/// <summary>
/// `perfsim sweep`'s rate: a 100,000-point grid (4 hardware × 5 models × 5 quantizations × 10 batches × 10 prompt ×
/// 10 generation lengths) predicted through the composition layer on all cores and streamed as CSV to a file.
/// Points per second = 100,000 ÷ the mean time.
/// </summary>
[WarmupCount(1)]
[IterationCount(5)]
public class SweepBenchmarks
{
    public const int Points = 100_000;
    ProfileCatalog catalog = null!;
    SweepGrid grid = null!;
    string path = null!;

    [GlobalSetup]
    public void Setup()
    {
        catalog = ProfileCatalog.Load();
        grid = new SweepGrid(
            ["nvidia-h100-sxm", "nvidia-rtx-4090", "apple-m2-max-38c", "amd-epyc-9654"],
            ["llama-3.2-1b", "llama-3.2-3b", "llama-3.1-8b", "qwen2.5-7b", "llama-3.1-70b"],
            ["fp16", "fp8", "int8", "q8_0", "q4_0"],
            [null],
            [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
            [128, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096],
            [32, 64, 96, 128, 192, 256, 384, 512, 768, 1024]);
        if (grid.Count != Points) throw new InvalidOperationException($"grid has {grid.Count} points");
        path = Path.Combine(Path.GetTempPath(), $"perfsim-sweep-bench-{Environment.ProcessId}.csv");
    }

    [Benchmark(Description = "100,000-point sweep to CSV (all cores)")]
    public long SweepToCsv()
    {
        using var w = new StreamWriter(path, false, new System.Text.UTF8Encoding(false));
        return SweepRunner.Run(catalog, new PredictionRequest(), grid, Shard.Whole, w);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (File.Exists(path)) File.Delete(path);
    }
}
