using BenchmarkDotNet.Attributes;
using PerfSim.Core.Units;
using PerfSim.Data.Catalog;
using PerfSim.Planning;
using PerfSim.Planning.Search;
using PerfSim.Planning.Serving;

namespace PerfSim.Benchmarks.Serving;

/// <summary>
/// Issue 11's goal: `perfsim plan` for one model (Llama 3.1 70B), one rate (10 req/s, 1,024-token prompts, 256 generated)
/// and ten candidates (NVIDIA, AMD, Intel, Google), fp16 and fp8 allowed, screened analytically and the short list
/// confirmed by the serving simulator, as the CLI does. The catalog load is in the setup.
/// </summary>
[WarmupCount(1)]
[IterationCount(5)]
public class PlanBenchmarks
{
    ProfileCatalog catalog = null!;
    PlanRequest request = null!;

    [GlobalSetup]
    public void Setup()
    {
        catalog = ProfileCatalog.Load();
        request = new PlanRequest
        {
            Model = "llama-3.1-70b",
            Traffic = new Traffic(10, 1024, 256),
            Slo = new Slo(new Seconds(2), new Seconds(0.1)),
            Candidates = ["nvidia-h100-sxm", "nvidia-h200-sxm", "nvidia-b200", "nvidia-a100-sxm-80gb", "nvidia-l40s",
                "amd-mi300x", "amd-mi325x", "intel-gaudi2", "intel-gaudi3", "google-tpu-v5e"],
            Quants = ["fp16", "fp8"],
        };
    }

    [Benchmark(Description = "plan: 70B, 10 req/s, 10 candidates, screen + simulated confirmation")]
    public int PlanTenCandidates()
    {
        var plan = Planner.Plan(catalog, request, new EngineReplicaModel(catalog, request.Model, request.Assumptions),
            new SimulatedReplicaModel(catalog, request.Model, request.Assumptions));
        return plan.Candidates.Count;
    }
}
