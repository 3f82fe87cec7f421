using PerfSim.Composition;
using PerfSim.Data.Catalog;
using PerfSim.Planning.Fleet;
using PerfSim.Planning.Serving;

namespace PerfSim.Planning.Search;

/// <summary>
/// The procurement search. For each candidate: every allowed quantization, layout (tensor parallel within a server)
/// and batch cap is screened with the fast model — the highest per-replica rate within the targets gives the replica
/// count, and the fleet is sized and costed. The cheapest screened options are then confirmed with the confirming
/// model (adding replicas until it agrees the targets hold), in cost order, until no unconfirmed option could be
/// cheaper than the cheapest confirmed one: confirming only ever adds replicas, so a screened cost is a lower bound.
/// </summary>
public static class Planner
{
    /// <summary>Beyond this a plan is refused as unrealistic (and the arithmetic stays far from overflow).</summary>
    public const long MaxReplicas = 10_000_000;
    public const int MaxConfirmations = 24;

    /// <summary>`progress` receives the number of candidates planned so far (a front end draws it; the planner does not).</summary>
    public static PlanResult Plan(ProfileCatalog catalog, PlanRequest request, IReplicaModel screen, IReplicaModel? confirm = null, IProgress<long>? progress = null)
    {
        PlanChecks.Validate(request);
        var candidates = new List<CandidatePlan>();
        var evaluated = new List<FleetOption>();
        foreach (var id in request.Candidates)
        {
            var plan = PlanCandidate(catalog, request, id, screen, confirm, out var options);
            candidates.Add(plan);
            evaluated.AddRange(options);
            progress?.Report(candidates.Count);
        }
        var best = candidates.Where(c => c.Feasible).OrderBy(c => c.Fleet!.Money!.TcoUsd).ThenBy(c => c.Fleet!.Shape!.Devices).FirstOrDefault();
        return new PlanResult(request, best, candidates, evaluated, Pareto.Of(evaluated), screen.Method,
            confirm?.Method ?? "none: the serving simulator is not merged yet; the screen's figures stand", PlanAssumptions.Notes(request));
    }

    static CandidatePlan PlanCandidate(ProfileCatalog catalog, PlanRequest req, string id, IReplicaModel screen, IReplicaModel? confirm, out List<FleetOption> options)
    {
        options = [];
        var facts = CandidateFacts.Of(catalog, id);
        var notes = new List<string>(facts.Notes);
        var slo = req.Slo;
        string? fitReason = null, floorReason = null;
        double bestFloorTtft = double.PositiveInfinity, bestFloorTpot = double.PositiveInfinity;

        foreach (var quant in req.Quants)
            foreach (var layout in Layouts(facts.DevicesPerServer))
            {
                var cap = screen.Capability(id, quant, layout, req.Traffic);
                foreach (var n in cap.Notes) if (!notes.Contains($"{quant} {layout}: {n}")) notes.Add($"{quant} {layout}: {n}");
                if (!cap.Fits) { fitReason ??= cap.Reason; fitReason = cap.Reason; continue; }
                bestFloorTtft = Math.Min(bestFloorTtft, cap.UnloadedTtft.Value);
                bestFloorTpot = Math.Min(bestFloorTpot, cap.UnloadedTpot.Value);
                if (cap.UnloadedTtft.Value > slo.Ttft.Value || cap.UnloadedTpot.Value > slo.Tpot.Value) continue;
                foreach (int batchCap in BatchCaps(req, cap.MaxBatch))
                {
                    var setup = new ReplicaSetup(id, quant, layout, batchCap);
                    double sloRate = MaxRateWithinSlo(screen, setup, req.Traffic, slo);
                    if (sloRate <= 0) { floorReason ??= $"latency: no rate meets the targets at {quant} {layout} batch ≤ {batchCap}"; continue; }
                    options.Add(Size(facts, req, setup, sloRate, screen, confirmed: false));
                }
            }

        if (confirm is not null) options = Confirm(facts, req, options, confirm, screen);
        var feasible = options.Where(o => o.Feasible && (confirm is null || o.Confirmed)).OrderBy(o => o.Money!.TcoUsd).ThenBy(o => o.Shape!.Devices).ToList();
        if (feasible.Count > 0)
            return new CandidatePlan(id, facts.Name, facts.Vendor, true, null, feasible[0], options.Count, notes);

        string reason = options.FirstOrDefault(o => o.Reason?.StartsWith("over budget", StringComparison.Ordinal) == true)?.Reason
            ?? options.FirstOrDefault(o => o.Reason?.StartsWith("rack power", StringComparison.Ordinal) == true)?.Reason
            ?? options.FirstOrDefault(o => o.Reason is not null)?.Reason
            ?? (double.IsFinite(bestFloorTtft)
                ? floorReason ?? $"latency floor above target even unloaded: best TTFT {bestFloorTtft:0.###} s (target {slo.Ttft.Value:0.###} s), best TPOT {bestFloorTpot * 1000:0.#} ms (target {slo.Tpot.Value * 1000:0.#} ms)"
                : fitReason ?? "does not fit on any layout");
        var cheapestOver = options.Where(o => o.Reason?.StartsWith("over budget", StringComparison.Ordinal) == true).OrderBy(o => o.Money!.TcoUsd).FirstOrDefault();
        return new CandidatePlan(id, facts.Name, facts.Vendor, false, cheapestOver?.Reason ?? reason, null, options.Count, notes);
    }

    /// <summary>Tensor-parallel degrees 1, 2, 4, … up to a server's device count (a replica does not span servers yet).</summary>
    public static IEnumerable<ReplicaLayout> Layouts(int devicesPerServer)
    {
        for (int tp = 1; tp <= devicesPerServer; tp *= 2) yield return new ReplicaLayout(tp);
    }

    static IEnumerable<int> BatchCaps(PlanRequest req, int maxBatch)
    {
        if (req.BatchCaps is { } caps) return caps.Where(c => c <= maxBatch).DefaultIfEmpty(maxBatch).Distinct().Order();
        var list = new List<int>();
        for (int b = 1; b <= maxBatch; b *= 2) list.Add(b);
        if (list[^1] != maxBatch) list.Add(maxBatch);
        return list;
    }

    /// <summary>The highest per-replica rate at which the model says the targets hold (bisection below saturation); 0 if none.</summary>
    public static double MaxRateWithinSlo(IReplicaModel model, ReplicaSetup setup, Traffic shape, Slo slo)
    {
        bool Meets(double rate)
        {
            var o = model.Serve(setup, shape with { RatePerSecond = rate }, slo.Goodput);
            return o.Stable && o.TtftQuantile.Value <= slo.Ttft.Value && o.TpotQuantile.Value <= slo.Tpot.Value;
        }
        double sat = model.Serve(setup, shape with { RatePerSecond = 0 }, slo.Goodput).SaturationRate;
        if (sat <= 0 || !Meets(sat * 1e-9)) return 0;
        double lo = sat * 1e-9, hi = sat;
        if (Meets(hi)) return hi;
        for (int i = 0; i < 48; i++)
        {
            double mid = (lo + hi) / 2;
            if (Meets(mid)) lo = mid; else hi = mid;
        }
        return lo;
    }

    static FleetOption Size(CandidateFacts facts, PlanRequest req, ReplicaSetup setup, double sloRate, IReplicaModel model, bool confirmed, long? replicasOverride = null,
        IReplicaModel? powerModel = null)
    {
        double needed = req.Traffic.RatePerSecond / sloRate;
        if (needed > MaxReplicas)
            return Infeasible(setup, 0, sloRate, $"needs over {MaxReplicas:N0} replicas of {setup.Layout}");
        long replicas = replicasOverride ?? Math.Max(1, (long)Math.Ceiling(needed * (1 - 1e-12)));
        var perReplica = req.Traffic with { RatePerSecond = req.Traffic.RatePerSecond / replicas };
        var outcome = model.Serve(setup, perReplica, req.Slo.Goodput);
        // Power comes from one model (the screen's) so that a confirmed fleet never costs less than its screened self.
        double watts = powerModel is null ? outcome.Power.Value : powerModel.Serve(setup, perReplica, req.Slo.Goodput).Power.Value;
        var (shape, whyShape) = FleetCost.Shape(facts, setup.Layout.Devices, replicas, watts, req.RackKw);
        if (shape is null) return new FleetOption(facts.Id, setup, replicas, sloRate, outcome, null, null, false, whyShape, confirmed);
        var (money, whyMoney) = FleetCost.Money(facts, shape, req.Pricing, req.Assumptions, req.Traffic);
        if (money is null) return new FleetOption(facts.Id, setup, replicas, sloRate, outcome, shape, null, false, whyMoney, confirmed);
        if (req.Budget is { } budget && money.SpendUsd(req.Assumptions.LifetimeYears) > budget.Value)
            return new FleetOption(facts.Id, setup, replicas, sloRate, outcome, shape, money, false,
                $"over budget: the cheapest fleet needs {money.SpendUsd(req.Assumptions.LifetimeYears):N0} USD ({(money.Pricing == "cloud" ? "rental over the lifetime" : "capital")}), the budget is {budget.Value:N0} USD", confirmed);
        return new FleetOption(facts.Id, setup, replicas, sloRate, outcome, shape, money, true, null, confirmed);

        FleetOption Infeasible(ReplicaSetup s, long r, double rate, string why) =>
            new(facts.Id, s, r, rate, model.Serve(s, req.Traffic with { RatePerSecond = 0 }, req.Slo.Goodput), null, null, false, why, confirmed);
    }

    /// <summary>Confirm in screened-cost order until the cheapest confirmed fleet costs no more than the next unconfirmed one.</summary>
    static List<FleetOption> Confirm(CandidateFacts facts, PlanRequest req, List<FleetOption> options, IReplicaModel confirm, IReplicaModel screen)
    {
        var result = new List<FleetOption>(options);
        var order = options.Select((o, i) => (o, i)).Where(x => x.o.Feasible).OrderBy(x => x.o.Money!.TcoUsd).ToList();
        double bestConfirmed = double.PositiveInfinity;
        int done = 0;
        foreach (var (o, i) in order)
        {
            if (o.Money!.TcoUsd >= bestConfirmed || done >= Math.Min(MaxConfirmations, Math.Max(1, req.ShortList) * 8)) break;
            done++;
            long r = o.Replicas;
            FleetOption c;
            do
            {
                c = Size(facts, req, o.Setup, o.SloRatePerReplica, confirm, confirmed: true, replicasOverride: r, powerModel: screen);
                if (!c.Feasible || Meets(c.Outcome, req.Slo)) break;
                r += Math.Max(1, r / 10);
            } while (r <= 4 * o.Replicas);
            if (c.Feasible && !Meets(c.Outcome, req.Slo))
                c = c with { Feasible = false, Reason = $"the confirming model misses the targets even with {r} replicas" };
            result[i] = c;
            if (c.Feasible) bestConfirmed = Math.Min(bestConfirmed, c.Money!.TcoUsd);
        }
        return result;
    }

    static bool Meets(ReplicaOutcome o, Slo slo) => o.Stable && o.TtftQuantile.Value <= slo.Ttft.Value && o.TpotQuantile.Value <= slo.Tpot.Value;
}
