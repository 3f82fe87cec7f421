using PerfSim.Composition;
using PerfSim.Data.Catalog;
using PerfSim.Planning.Search;
using PerfSim.Planning.Serving;
using PerfSim.Planning.Tiers;

namespace PerfSim.Planning.Hybrid;

/// <summary>A share of the traffic with one prompt length (a length distribution is a list of these).</summary>
public sealed record PromptClass(int PromptTokens, double Weight);

/// <summary>
/// Route part of the traffic to a small model on the users' devices, the rest to a large model in the cloud:
/// either a fixed `DeviceShare` of every request, or (when `UnderPrompt` is set) every request whose prompt is at most
/// that long. `Cloud` is the plan request for the large model at the full rate (the what-if scales it).
/// </summary>
public sealed record HybridRequest(PlanRequest Cloud, string SmallModel, TierProfile Device, IReadOnlyList<PromptClass> Prompts, double? DeviceShare, int? UnderPrompt);

/// <summary>One way of serving the traffic: the cloud fleet (if any traffic goes there) and the device part.</summary>
public sealed record RoutingOutcome(
    string Name,
    double DeviceShare,
    PlanResult? CloudPlan,
    TierPlacement? DevicePlacement,
    double CloudUsdPerYear,
    double UsdPerQuery,
    double JoulesPerQuery,
    double? CloudTtftP99,
    double? CloudTpotP99,
    double? DeviceTtft,
    double? DeviceTpot,
    string? Reason);

public sealed record HybridResult(HybridRequest Request, RoutingOutcome AllCloud, RoutingOutcome Mixed, IReadOnlyList<string> Notes);

public static class HybridPlanner
{
    public static HybridResult Plan(ProfileCatalog catalog, HybridRequest req)
    {
        if (req.Prompts.Count == 0 || req.Prompts.Any(p => p.PromptTokens < 1 || !(p.Weight > 0)))
            throw new UsageException("--prompt-mix: every class needs a prompt length ≥ 1 and a positive weight");
        if (req.DeviceShare is { } s && !(s >= 0 && s <= 1)) throw new UsageException($"--device-share must be in [0, 1], got {s}");
        double total = req.Prompts.Sum(p => p.Weight);
        var classes = req.Prompts.Select(p => p with { Weight = p.Weight / total }).ToList();
        int gen = req.Cloud.Traffic.GenTokens;

        var allCloud = Route(catalog, req, "all cloud", 0, null, MeanPrompt(classes), MeanPrompt(classes), gen);
        double share;
        int devicePrompt, cloudPrompt;
        if (req.UnderPrompt is { } limit)
        {
            var onDevice = classes.Where(c => c.PromptTokens <= limit).ToList();
            var inCloud = classes.Where(c => c.PromptTokens > limit).ToList();
            share = onDevice.Sum(c => c.Weight);
            devicePrompt = onDevice.Count > 0 ? MeanPrompt(onDevice) : 0;
            cloudPrompt = inCloud.Count > 0 ? MeanPrompt(inCloud) : 0;
        }
        else
        {
            share = req.DeviceShare ?? 0.5;
            devicePrompt = cloudPrompt = MeanPrompt(classes);
        }
        var mixed = Route(catalog, req, req.UnderPrompt is { } l ? $"prompts ≤ {l} on device" : $"{share:P0} on device", share, req.SmallModel, devicePrompt, cloudPrompt, gen);
        var notes = new List<string>
        {
            $"device: {req.SmallModel} on {req.Device.Name} ({req.Device.Hardware}, {req.Device.Quant}); cloud: {req.Cloud.Model} planned on {string.Join(", ", req.Cloud.Candidates)}",
            "the device part costs the operator nothing to buy (the users own the devices); its energy is counted in J/query and priced at the same electricity price",
            "each side's prompt length is the weighted mean of the classes routed there (the planner takes one shape per fleet)",
        };
        return new HybridResult(req, allCloud, mixed, notes);
    }

    static int MeanPrompt(IReadOnlyList<PromptClass> cs)
    {
        double w = cs.Sum(c => c.Weight);
        return Math.Max(1, (int)Math.Round(cs.Sum(c => c.PromptTokens * c.Weight) / w));
    }

    static RoutingOutcome Route(ProfileCatalog catalog, HybridRequest req, string name, double share, string? smallModel, int devicePrompt, int cloudPrompt, int gen)
    {
        var a = req.Cloud.Assumptions;
        double rate = req.Cloud.Traffic.RatePerSecond;
        double seconds = a.LifetimeYears * Fleet.FleetCost.HoursPerYear * 3600;
        TierPlacement? device = null;
        PlanResult? plan = null;
        if (share > 0 && smallModel is not null)
        {
            device = TierPlanner.Place(catalog, [smallModel], [req.Device], devicePrompt, gen).Placements[0];
            if (!device.Fits) return Failed(device.Reason);
        }
        double cloudPerYear = 0, cloudTco = 0, cloudJ = 0;
        if (share < 1)
        {
            var cloudReq = req.Cloud with { Traffic = new Traffic(rate * (1 - share), cloudPrompt, gen) };
            plan = Planner.Plan(catalog, cloudReq, new EngineReplicaModel(catalog, cloudReq.Model, cloudReq.Assumptions));
            if (plan.Best?.Fleet is not { } f) return Failed("no feasible cloud fleet: " + string.Join("; ", plan.Candidates.Select(c => $"{c.Candidate}: {c.Reason}")));
            cloudTco = f.Money!.TcoUsd;
            cloudPerYear = cloudTco / a.LifetimeYears;
            cloudJ = f.Shape!.LoadKw * 1000 * a.Pue / cloudReq.Traffic.RatePerSecond;
        }
        double deviceJ = device?.JoulesPerQuery ?? 0;
        double usdPerQuery = cloudTco / (rate * seconds) + share * deviceJ / 3.6e6 * a.UsdPerKwh;
        double joules = share * deviceJ + (1 - share) * cloudJ;
        var best = plan?.Best?.Fleet;
        return new RoutingOutcome(name, share, plan, device, cloudPerYear, usdPerQuery, joules,
            best?.Outcome.TtftQuantile.Value, best?.Outcome.TpotQuantile.Value, device?.Ttft?.Value, device?.TokensPerSecond is { } t ? 1 / t : null, null);

        RoutingOutcome Failed(string? why) => new(name, share, plan, device, 0, 0, 0, null, null, null, null, why ?? "not feasible");
    }
}
