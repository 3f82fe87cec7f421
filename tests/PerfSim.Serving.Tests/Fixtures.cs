using PerfSim.Tests.Shared;
using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Data.Catalog;

namespace PerfSim.Serving.Tests;

/// <summary>Step costs for real deployments from the repository's catalog, through the composition layer, built once.</summary>
public static class Fixtures
{
    static readonly Lazy<ProfileCatalog> catalog = new(() => ProfileCatalog.Load(Root));
    public static ProfileCatalog Catalog => catalog.Value;

    public static string Root { get; } = RepositoryRoot.Find();

    static readonly Dictionary<string, StepCost> cache = new();

    public static StepCost Cost(string hardware = "nvidia-h100-sxm", string model = "llama-3.1-8b", string quant = "fp16",
        int batch = 64, int prompt = 512, int gen = 256, string? backend = null, int? devices = null)
    {
        string key = $"{hardware}|{model}|{quant}|{batch}|{prompt}|{gen}|{backend}|{devices}";
        lock (cache)
        {
            if (cache.TryGetValue(key, out var c)) return c;
            var config = Composer.Compose(Catalog, new PredictionRequest
            {
                Hardware = hardware, Model = model, Quant = quant, Backend = backend, Devices = devices,
                Scenario = new ScenarioRequest(Batch: batch, Prompt: prompt, Gen: gen),
            });
            c = StepCost.For(config.Deployment, config.Workload, config.Execution, config.Assumptions);
            cache[key] = c;
            return c;
        }
    }

    public static Prediction Predict(StepCost cost, int batch, int prompt, int gen) =>
        InferenceEngine.Predict(cost.Deployment, cost.Workload with { Scenario = Core.Workloads.Scenario.Of(batch, prompt, gen) }, cost.Execution, cost.Assumptions);
}
