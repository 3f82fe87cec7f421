using PerfSim.Core.Units;
using PerfSim.Planning.Search;
using PerfSim.Planning.Serving;

namespace PerfSim.Planning.Tests;

/// <summary>Requests the tests share, and planning through the engine-backed screen.</summary>
public static class Plans
{
    public static PlanRequest Request(string model, double rate, IReadOnlyList<string> candidates, double ttft = 2, double tpot = 0.1,
        int prompt = 1024, int gen = 256, IReadOnlyList<string>? quants = null) => new()
    {
        Model = model,
        Traffic = new Traffic(rate, prompt, gen),
        Slo = new Slo(new Seconds(ttft), new Seconds(tpot)),
        Candidates = candidates,
        Quants = quants ?? ["fp16"],
    };

    public static PlanResult Run(PlanRequest r) => Planner.Plan(Repo.Catalog, r, new EngineReplicaModel(Repo.Catalog, r.Model, r.Assumptions));
}
