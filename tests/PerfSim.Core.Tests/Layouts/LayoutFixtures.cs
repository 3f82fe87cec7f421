using PerfSim.Composition;

namespace PerfSim.Core.Tests.Layouts;

public static class LayoutFixtures
{
    public static ComposedPrediction Predict(string hardware, string model, string? quant = null, int? devices = null,
        int? tp = null, int? pp = null, int? ep = null, int? dp = null, int batch = 1, int prompt = 512, int gen = 256,
        string? backend = null, string? kv = null) =>
        Composer.Predict(TestRepo.Catalog, new PredictionRequest
        {
            Hardware = hardware,
            Model = model,
            Quant = quant,
            Devices = devices,
            Backend = backend,
            KvCache = kv,
            Layout = new LayoutRequest(tp, pp, ep, dp),
            Scenario = new ScenarioRequest(Batch: batch, Prompt: prompt, Gen: gen),
        });
}
