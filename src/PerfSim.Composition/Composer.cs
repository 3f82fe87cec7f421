using PerfSim.Core;
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
        var hardware = catalog.GetHardware(request.Hardware);
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
        var lr = request.Layout ?? new LayoutRequest();
        int available = RequestChecks.Devices(hardware, request.Devices, lr);
        var device = hardware.System is { } sys ? catalog.GetHardware(sys.Device) : hardware;
        if (backend is not null)
        {
            RequestChecks.Backend(backend, device, request.Engine);
            RequestChecks.BackendFormat(backend, quant, id => catalog.Quants.TryGetValue(id, out var x) ? x : TryQuant(catalog, id));
        }
        NativeArithmetic(device, engineKind, quant, notes);
        var workload = new Workload(model, quant, kv, scenario);
        var search = new LayoutSearch(catalog, request, backend, engineKind, exec, assumptions, model, available);

        if (request.Scenario.Offline)
            return search.Offline(workload, notes);

        var (deployment, layout) = search.Choose(workload, notes);
        return new Configuration(request, deployment, workload, exec ?? ExecutionModel.Ideal(deployment.Engine), assumptions, layout.Dp, notes);
    }

    static QuantScheme? TryQuant(ProfileCatalog catalog, string id)
    {
        try { return catalog.GetQuant(id); }
        catch (UnknownIdException) { return null; }
    }

    /// <summary>Arithmetic the engine has no peak for is emulated at the next wider type: say so, with what it costs.</summary>
    static void NativeArithmetic(Core.Hardware.HardwareProfile device, Core.Hardware.EngineKind? kind, QuantScheme quant, List<string> notes)
    {
        var engine = kind is { } k ? device.EngineOfKind(k) ?? device.DefaultEngine : device.DefaultEngine;
        var (used, _) = engine.PeakFor(quant.ComputeType);
        if (used != quant.ComputeType)
            notes.Add($"{quant.ComputeType.Kebab()} arithmetic is not native on {device.Id}: matmuls run at its {used.Kebab()} peak (weights still stored as {quant.Id}, so memory traffic keeps the saving)");
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
        RequestChecks.Scenario(result, s.Id);
        return result;
    }

}

/// <summary>The request cannot run at all: no split of the devices holds the model.</summary>
public sealed class DoesNotFitException(string message) : Exception(message);
