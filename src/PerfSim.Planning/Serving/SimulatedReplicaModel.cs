using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Data.Catalog;
using PerfSim.Serving;

namespace PerfSim.Planning.Serving;

/// <summary>
/// The confirming model: one replica run in the serving simulator (continuous batching with chunked prefill, paged
/// KV, vLLM-default scheduler with the batch cap as max_num_seqs) under seeded Poisson arrivals. The run offers about
/// `Requests` requests and discards the first 10 % of the window as warm-up. Quantiles come from the simulated
/// requests (the p99 for goodput 0.99, the p90 for 0.9 or less, else the p99).
/// </summary>
public sealed class SimulatedReplicaModel(ProfileCatalog catalog, string model, Assumptions? assumptions = null, string? backend = null, int requests = 1500, long seed = 1)
    : IReplicaModel
{
    readonly Dictionary<(string, string, ReplicaLayout, int, int), StepCost> costs = [];
    readonly EngineReplicaModel capability = new(catalog, model, assumptions, backend);

    public string Method => $"serving simulator (seeded Poisson, ~{requests} requests per replica, seed {seed})";

    public ReplicaCapability Capability(string hardware, string quant, ReplicaLayout layout, Traffic shape) => capability.Capability(hardware, quant, layout, shape);

    public ReplicaOutcome Serve(ReplicaSetup setup, Traffic perReplica, double quantile)
    {
        var cost = Cost(setup, perReplica);
        var config = ServingConfig.Single(cost, new SchedulerOptions(MaxRunningBatch: setup.BatchCap));
        double sat = capability.Serve(setup, perReplica with { RatePerSecond = 0 }, quantile).SaturationRate;
        if (perReplica.RatePerSecond <= 0) return capability.Serve(setup, perReplica, quantile) with { Method = Method };
        double duration = requests / perReplica.RatePerSecond;
        var traffic = new PerfSim.Serving.Traffic(new PoissonArrivals(perReplica.RatePerSecond), LengthDistribution.Fixed(perReplica.PromptTokens),
            LengthDistribution.Fixed(perReplica.GenTokens), duration, WarmupSeconds: duration * 0.1);
        var r = ServingSimulator.Run(config, traffic, new ServingOptions(Seed: seed));
        double ttft = quantile <= 0.9 ? r.TtftSeconds.P90 : r.TtftSeconds.P99;
        double tpot = quantile <= 0.9 ? r.TpotSeconds.P90 : r.TpotSeconds.P99;
        bool stable = !r.Saturated && r.Completed > 0 && double.IsFinite(ttft) && double.IsFinite(tpot);
        return new ReplicaOutcome(stable, new(stable ? ttft : double.PositiveInfinity), new(stable ? tpot : double.PositiveInfinity), r.MeanRunningBatch,
            r.BusyFraction, sat, new(r.Economics.AverageWatts), Method);
    }

    StepCost Cost(ReplicaSetup s, Traffic shape)
    {
        var key = (s.Hardware, s.Quant, s.Layout, shape.PromptTokens, shape.GenTokens);
        if (costs.TryGetValue(key, out var c)) return c;
        var config = Composer.Compose(catalog, new PredictionRequest
        {
            Hardware = s.Hardware,
            Model = model,
            Quant = s.Quant,
            Backend = backend,
            Devices = s.Layout.Tp,
            Scenario = new ScenarioRequest(Batch: Math.Max(1, s.BatchCap), Prompt: shape.PromptTokens, Gen: shape.GenTokens),
            Assumptions = assumptions ?? Assumptions.Default,
        });
        c = StepCost.For(config.Deployment, config.Workload, config.Execution, config.Assumptions);
        costs[key] = c;
        return c;
    }
}
