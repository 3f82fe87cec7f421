using PerfSim.Composition;
using BenchmarkDotNet.Attributes;
using PerfSim.Data.Catalog;
using PerfSim.Core.Engine;
using PerfSim.Core.Workloads;

namespace PerfSim.Benchmarks.Engine;

/// <summary>
/// Cost of the model itself: one `predict` evaluation (prefill + decode + energy + cost), and a 100,000-point
/// sweep over batch × prompt × generated tokens, as a capacity planner would run it. Goal: well under 50 µs each.
/// </summary>
public class PredictBenchmarks
{
    const int SweepPoints = 100_000;
    Deployment h100 = null!;
    Workload workload = null!;
    Workload[] sweep = null!;

    [GlobalSetup]
    public void Setup()
    {
        var catalog = ProfileCatalog.Load();
        h100 = DeploymentResolver.Resolve(catalog, "nvidia-h100-sxm");
        var quant = catalog.GetQuant("q4_0");
        var model = catalog.GetModel("llama-3.1-8b");
        var kv = catalog.GetKv(quant.KvCache);
        workload = new Workload(model, quant, kv, Scenario.Of(1, 512, 256));
        // 100 batch sizes × 100 prompt lengths × 10 generation lengths.
        sweep = new Workload[SweepPoints];
        int i = 0;
        for (int b = 1; b <= 100; b++)
            for (int p = 1; p <= 100; p++)
                for (int g = 1; g <= 10; g++)
                    sweep[i++] = workload with { Scenario = Scenario.Of(b, p * 64, g * 64) };
    }

    [Benchmark(Description = "one predict evaluation")]
    public double PredictOnce() => InferenceEngine.Predict(h100, workload).Tpot.Value;

    [Benchmark(Description = "100,000-point sweep", OperationsPerInvoke = SweepPoints)]
    public double Sweep()
    {
        double sum = 0;
        foreach (var w in sweep) sum += InferenceEngine.Predict(h100, w).Tpot.Value;
        return sum;
    }
}
