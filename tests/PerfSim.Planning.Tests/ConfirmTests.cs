using PerfSim.Planning.Search;
using PerfSim.Planning.Serving;
using Xunit.Abstractions;

namespace PerfSim.Planning.Tests;

public class ConfirmTests(ITestOutputHelper output)
{
    [Fact]
    public void The_simulator_confirms_the_chosen_fleet_and_it_meets_the_targets_there()
    {
        var req = Plans.Request("llama-3.1-8b", 20, ["nvidia-h100-sxm", "amd-mi300x"], ttft: 1, tpot: 0.05);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var plan = Planner.Plan(Repo.Catalog, req, new EngineReplicaModel(Repo.Catalog, req.Model), new SimulatedReplicaModel(Repo.Catalog, req.Model, requests: 600));
        output.WriteLine($"{sw.ElapsedMilliseconds} ms");
        foreach (var c in plan.Candidates)
        {
            Assert.True(c.Feasible, c.Reason);
            var f = c.Fleet!;
            output.WriteLine($"{c.Candidate} {f.Setup} x{f.Replicas} ttft {f.Outcome.TtftQuantile.Value:0.###} tpot {f.Outcome.TpotQuantile.Value:0.####} {f.Outcome.Method}");
            Assert.True(f.Confirmed);
            Assert.StartsWith("serving simulator", f.Outcome.Method);
            Assert.True(f.Outcome.TtftQuantile.Value <= 1 && f.Outcome.TpotQuantile.Value <= 0.05);
            // The simulator only ever adds replicas to the screen's count: the screened option is a lower bound.
            var screened = Plans.Run(req).Candidates.Single(x => x.Candidate == c.Candidate).Fleet!;
            Assert.True(f.Money!.TcoUsd >= screened.Money!.TcoUsd - 1e-6);
        }
        double best = plan.Best!.Fleet!.Money!.TcoUsd;
        Assert.All(plan.Evaluated.Where(o => o.Feasible), o => Assert.True(best <= o.Money!.TcoUsd + 1e-6));
    }
}
