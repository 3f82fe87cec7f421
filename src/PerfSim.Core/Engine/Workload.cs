using PerfSim.Core.Workloads;

namespace PerfSim.Core.Engine;

/// <summary>What runs: a model, stored in a quantization scheme with a KV-cache format, under a scenario.</summary>
public sealed record Workload(ModelProfile Model, QuantScheme Quant, KvCacheFormat Kv, Scenario Scenario)
{
    public ModelArchitecture Arch => Model.Architecture;
}
