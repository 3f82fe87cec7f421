using PerfSim.Core.Units;
using PerfSim.Planning.Search;
using PerfSim.Planning.Serving;
using Xunit.Abstractions;

namespace PerfSim.Planning.Tests;

public class ScratchTests(ITestOutputHelper output)
{
    [Fact]
    public void Print()
    {
        var req = new PlanRequest
        {
            Model = "llama-3.1-70b",
            Traffic = new Traffic(10, 1024, 256),
            Slo = new Slo(new Seconds(2), new Seconds(0.1)),
            Candidates = ["nvidia-dgx-h100", "amd-mi300x-8x", "intel-gaudi2-8x", "google-tpu-v5e", "nvidia-h100-sxm", "nvidia-gb200-nvl72"],
        };
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var r = Planner.Plan(Repo.Catalog, req, new EngineReplicaModel(Repo.Catalog, req.Model));
        output.WriteLine($"{sw.ElapsedMilliseconds} ms, {r.Evaluated.Count} options");
        foreach (var c in r.Candidates)
        {
            var f = c.Fleet;
            output.WriteLine(f is null ? $"{c.Candidate}: NO {c.Reason}" :
                $"{c.Candidate}: {f.Setup.Quant} {f.Setup.Layout} b{f.Setup.BatchCap} x{f.Replicas} dev {f.Shape!.Devices} srv {f.Shape.Servers} racks {f.Shape.Racks} kW {f.Shape.LoadKw:0.0}/{f.Shape.NameplateKw:0.0} capex {f.Money!.CapexUsd:N0} opex {f.Money.OpexUsdPerYear:N0} tco {f.Money.TcoUsd:N0} $/M {f.Money.UsdPerMillionTokens:0.###} $/q {f.Money.UsdPerQuery:0.#####} ttft {f.Outcome.TtftQuantile.Value:0.###} tpot {f.Outcome.TpotQuantile.Value * 1000:0.#} util {f.Utilization(req.Traffic.RatePerSecond):0.##} head {f.HeadroomRate:0.#}");
        }
    }
}
