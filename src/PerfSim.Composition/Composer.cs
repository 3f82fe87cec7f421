using PerfSim.Core.Backends;
using PerfSim.Core.Engine;
using PerfSim.Core.Workloads;
using PerfSim.Data.Catalog;

namespace PerfSim.Composition;

/// <summary>
/// Request → validated configuration → prediction. Every front end calls this; it alone decides the engine, the
/// device layout (tensor or layer split, data-parallel replicas), the backend's overrides and the offline batch.
/// </summary>
public static class Composer
{
    public static ComposedPrediction Predict(ProfileCatalog catalog, PredictionRequest request)
    {
        var config = Compose(catalog, request);
        return new ComposedPrediction(config, InferenceEngine.Predict(config.Deployment, config.Workload, config.Execution, config.Assumptions));
    }

    public static Configuration Compose(ProfileCatalog catalog, PredictionRequest request)
    {
        (catalog, var hardwareId) = HardwareSource.Resolve(catalog, request.Hardware);
        request = request with { Hardware = hardwareId };
        var assumptions = RequestChecks.Assumptions(request.Assumptions);
        var backend = request.Backend is { } b ? catalog.GetBackend(b) : null;
        var (model, fileQuant) = ModelSource.Load(catalog, request.Model);
        var quant = request.Quant is { } q ? catalog.GetQuant(q) : fileQuant ?? catalog.GetQuant(Defaults.Quant);
        var kv = catalog.GetKv(request.KvCache ?? backend?.KvCacheFor(quant) ?? quant.KvCache);
        var engineKind = request.Engine ?? backend?.Engine;
        var exec = backend is not null ? ExecutionModel.From(backend) : null;
        var notes = new List<string>();

        var scenario = ScenarioOf(catalog, request.Scenario);
        RequestChecks.Context(model, scenario);
        var hardware = catalog.GetHardware(request.Hardware);
        RequestChecks.Devices(hardware, request.Devices);

        if (request.Scenario.Offline)
            return Offline(catalog, request, backend, engineKind, new Workload(model, quant, kv, scenario), exec, assumptions, notes);

        var deployment = DeploymentResolver.Resolve(catalog, request.Hardware, request.Devices, engineKind, request.Threads, backend);
        var workload = new Workload(model, quant, kv, scenario);
        return new Configuration(request, deployment, workload, exec ?? ExecutionModel.Ideal(deployment.Engine), assumptions, 1, notes);
    }

    /// <summary>The scenario: a scenario ID's numbers, overridden by explicit ones; the defaults where neither is given.</summary>
    public static Scenario ScenarioOf(ProfileCatalog catalog, ScenarioRequest s)
    {
        var baseScenario = s.Id is { } id ? catalog.GetScenario(id) : Scenario.Of(Defaults.Batch, Defaults.Prompt, Defaults.Gen);
        var result = baseScenario with
        {
            Batch = s.Batch ?? baseScenario.Batch,
            PromptTokens = s.Prompt ?? baseScenario.PromptTokens,
            GeneratedTokens = s.Gen ?? baseScenario.GeneratedTokens,
        };
        if (s.Id is null) result = Scenario.Of(result.Batch, result.PromptTokens, result.GeneratedTokens);
        RequestChecks.Scenario(result);
        return result;
    }

    /// <summary>Offline (MLPerf-style) throughput: try every data-parallel split of the devices, the largest batch that fits on each, keep the fastest.</summary>
    static Configuration Offline(ProfileCatalog catalog, PredictionRequest request, BackendProfile? backend, Core.Hardware.EngineKind? engineKind,
        Workload workload, ExecutionModel? exec, Assumptions assumptions, List<string> notes)
    {
        int devices = request.Devices ?? catalog.GetHardware(request.Hardware).System?.Count ?? 1;
        (double Rate, Deployment D, int Batch, int Replicas)? best = null;
        for (int group = 1; group <= devices; group *= 2)
        {
            if (devices % group != 0) continue;
            var d = DeploymentResolver.Resolve(catalog, request.Hardware, group, engineKind, request.Threads, backend);
            var s = workload.Scenario;
            int batch = OfflineBatch.Largest(d, workload);
            var w = workload with { Scenario = Scenario.Of(batch, s.PromptTokens, s.GeneratedTokens) };
            var p = InferenceEngine.Predict(d, w, exec ?? ExecutionModel.Ideal(d.Engine), assumptions);
            if (!p.Memory.Fits) continue;
            int replicas = devices / group;
            double rate = (double)batch * s.GeneratedTokens / p.EndToEnd.Value * replicas;
            if (best is null || rate > best.Value.Rate) best = (rate, d, batch, replicas);
        }
        if (best is not { } bst) throw new DoesNotFitException("does not fit in memory at batch 1 on any split of the devices");
        notes.Add($"offline: largest batch that fits in memory (cap {OfflineBatch.Cap}): {bst.Batch} per replica, {bst.Replicas} replica(s) of {devices / bst.Replicas} device(s)");
        var sc = workload.Scenario;
        var final = workload with { Scenario = Scenario.Of(bst.Batch, sc.PromptTokens, sc.GeneratedTokens) };
        return new Configuration(request, bst.D, final, exec ?? ExecutionModel.Ideal(bst.D.Engine), assumptions, bst.Replicas, notes);
    }
}

/// <summary>The request cannot run at all: no split of the devices holds the model.</summary>
public sealed class DoesNotFitException(string message) : Exception(message);
