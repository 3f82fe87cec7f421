using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;
using PerfSim.Core.Units;
using PerfSim.Core.Workloads;

namespace PerfSim.Core.Tests.Engine;

/// <summary>Builders for predictions in tests: real profiles from the repository, and hand-made variants.</summary>
public static class EngineFixtures
{
    public static Deployment H100 => DeploymentResolver.Resolve(TestRepo.Catalog, "nvidia-h100-sxm");

    public static Workload Workload(string model, string quant, int batch = 1, int prompt = 512, int gen = 256)
    {
        var c = TestRepo.Catalog;
        var q = c.GetQuant(quant);
        return new Workload(c.GetModel(model), q, c.GetKv(q.KvCache), Scenario.Of(batch, prompt, gen));
    }

    public static QuantScheme Quant(double bits, DataType compute = DataType.Fp16) =>
        new($"test-{bits}", "test", "test", DataType.Fp16, bits, null, DataType.Fp16, compute, "fp16", null, null, [], "test");

    /// <summary>A small Llama-shaped model whose fp16 weights (~29 MB) fit in an H100's 50 MB L2.</summary>
    public static ModelProfile Tiny => new("tiny", "tiny", "test", new ModelArchitecture(
        Layers: 4, Hidden: 512, Heads: 8, KvHeads: 8, HeadDim: 64, Intermediate: 1024, Vocab: 4000,
        MlpKind.Gated, NormKind.RmsNorm, PositionKind.Rope, TiedEmbeddings: false, AttentionBias: false, MlpBias: false,
        MaxContext: 2048, Moe: null, Mla: null, Window: null), 1, null, "test", "test");

    /// <summary>The same device with every memory level's bandwidth multiplied by k.</summary>
    public static Deployment ScaleBandwidth(Deployment d, double k) => d with
    {
        Device = d.Device with
        {
            Memory = d.Device.Memory.Select(m => m with { Bandwidth = new(m.Bandwidth.Value * k, m.Bandwidth.Source) }).ToArray(),
        },
    };

    /// <summary>The same device with every dense peak multiplied by k.</summary>
    public static Deployment ScaleCompute(Deployment d, double k)
    {
        var e = d.Engine with { DensePeak = d.Engine.DensePeak.ToDictionary(kv => kv.Key, kv => new Sourced<OpsPerSecond>(kv.Value.Value * k, kv.Value.Source)) };
        return d with { Engine = e, Device = d.Device with { Engines = [e] } };
    }
}
