using PerfSim.Composition;
using PerfSim.Core.Units;
using PerfSim.Data.Catalog;

namespace PerfSim.Planning.Tiers;

/// <summary>One model on one tier, for a single user (batch 1).</summary>
public sealed record TierPlacement(
    string Model,
    TierProfile Tier,
    bool Fits,
    string? Reason,
    int Devices,
    string Engine,
    Bytes MemoryNeeded,
    Bytes MemoryAvailable,
    Seconds? Ttft,
    double? TokensPerSecond,
    double? JoulesPerToken,
    double? JoulesPerQuery,
    double? BatteryPercentPerQuery,
    double? QueriesPerCharge,
    bool Interactive);

public sealed record TierResult(IReadOnlyList<TierPlacement> Placements, InteractiveThresholds Thresholds, int PromptTokens, int GenTokens, IReadOnlyList<string> Notes);

/// <summary>Places each model on each tier through the composition layer: fits, TTFT, tokens/s, energy and battery per query.</summary>
public static class TierPlanner
{
    public static TierResult Place(ProfileCatalog catalog, IReadOnlyList<string> models, IReadOnlyList<TierProfile> tiers, int prompt, int gen,
        InteractiveThresholds? thresholds = null)
    {
        var th = thresholds ?? new InteractiveThresholds();
        var placements = new List<TierPlacement>();
        foreach (var model in models)
            foreach (var tier in tiers)
                placements.Add(PlaceOne(catalog, model, tier, prompt, gen, th));
        var notes = new List<string>
        {
            $"one user: batch 1, {prompt} prompt + {gen} generated tokens; interactive means {th}",
            "J/token is the decode energy per generated token; J/query adds the prefill; battery impact = J/query ÷ battery energy",
            "the cloud node uses the fewest of its devices (1, 2, 4, …) that hold the model",
        };
        foreach (var t in tiers.Where(t => t.BatteryWh is not null)) notes.Add($"{t.Name} battery {t.BatteryWh:0.#} Wh: {t.BatterySource}");
        return new TierResult(placements, th, prompt, gen, notes);
    }

    static TierPlacement PlaceOne(ProfileCatalog catalog, string model, TierProfile tier, int prompt, int gen, InteractiveThresholds th)
    {
        var facts = HardwareFacts.Of(catalog, tier.Hardware);
        int maxDevices = facts.DevicesPerSystem ?? 1;
        ComposedPrediction? last = null;
        for (int n = 1; n <= maxDevices; n *= 2)
        {
            last = Composer.Predict(catalog, new PredictionRequest
            {
                Hardware = tier.Hardware,
                Model = model,
                Quant = tier.Quant,
                Engine = tier.Engine is { } e ? Enum.Parse<PerfSim.Core.Hardware.EngineKind>(e, ignoreCase: true) : null,
                Devices = facts.DevicesPerSystem is null ? null : n,
                Scenario = new ScenarioRequest(Batch: 1, Prompt: prompt, Gen: gen),
            });
            if (last.Prediction.Memory.Fits) break;
        }
        var p = last!.Prediction;
        var m = p.Memory;
        if (!m.Fits)
            return new TierPlacement(model, tier, false, $"does not fit: needs {m.Total} per device, {m.Capacity} available", p.Devices, p.EngineId,
                m.Total, m.Capacity, null, null, null, null, null, null, false);
        double tps = 1 / p.Tpot.Value;
        double jpq = p.Energy.PerQuery.Value;
        double? battery = tier.BatteryWh is { } wh ? jpq / (wh * 3600) * 100 : null;
        double? perCharge = tier.BatteryWh is { } wh2 ? wh2 * 3600 / jpq : null;
        bool interactive = tps >= th.MinTokensPerSecond && p.Ttft.Value <= th.MaxTtftSeconds;
        return new TierPlacement(model, tier, true, null, p.Devices, p.EngineId, m.Total, m.Capacity, p.Ttft, tps, p.Energy.JoulesPerToken, jpq,
            battery, perCharge, interactive);
    }
}
