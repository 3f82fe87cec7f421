using PerfSim.Core.Units;
using PerfSim.Planning.Search;

namespace PerfSim.Planning.Tests;

public class PlannerTests
{
    static readonly string[] Vendors = ["nvidia-dgx-h100", "amd-mi300x-8x", "intel-gaudi2-8x", "nvidia-h100-sxm"];

    [Theory]
    [InlineData("llama-3.1-70b", 10.0, 2.0, 0.1)]
    [InlineData("llama-3.1-70b", 40.0, 1.0, 0.05)]
    [InlineData("llama-3.1-8b", 25.0, 0.5, 0.03)]
    public void Chosen_fleet_is_never_more_expensive_than_any_feasible_alternative_evaluated(string model, double rate, double ttft, double tpot)
    {
        var plan = Plans.Run(Plans.Request(model, rate, Vendors, ttft, tpot, quants: ["fp16", "fp8"]));
        Assert.NotNull(plan.Best);
        double best = plan.Best!.Fleet!.Money!.TcoUsd;
        var feasible = plan.Evaluated.Where(o => o.Feasible).ToList();
        Assert.True(feasible.Count > 1);
        Assert.All(feasible, o => Assert.True(best <= o.Money!.TcoUsd + 1e-6, $"{o.Candidate} {o.Setup} costs {o.Money!.TcoUsd} < chosen {best}"));
        foreach (var c in plan.Candidates.Where(c => c.Feasible))
            Assert.All(feasible.Where(o => o.Candidate == c.Candidate), o => Assert.True(c.Fleet!.Money!.TcoUsd <= o.Money!.TcoUsd + 1e-6));
    }

    [Fact]
    public void A_workload_that_fits_on_one_device_at_a_light_rate_is_planned_on_one_device()
    {
        var plan = Plans.Run(Plans.Request("llama-3.1-8b", 0.5, ["nvidia-h100-sxm", "amd-mi300x", "nvidia-l40s"], ttft: 2, tpot: 0.1));
        foreach (var c in plan.Candidates)
        {
            Assert.True(c.Feasible, c.Reason);
            Assert.Equal(1, c.Fleet!.Shape!.Devices);
            Assert.Equal(1, c.Fleet.Shape.Servers);
        }
    }

    [Fact]
    public void More_than_one_device_only_when_one_device_cannot_meet_the_rate_or_the_targets()
    {
        // Sweep rates and a tight per-token target: whenever the plan uses several devices, every one-device option
        // evaluated must have been infeasible (or not enough alone, i.e. needing several replicas).
        foreach (double rate in new[] { 0.2, 2, 8, 30 })
            foreach (double tpot in new[] { 0.1, 0.012 })
            {
                var plan = Plans.Run(Plans.Request("llama-3.1-8b", rate, ["nvidia-h100-sxm"], ttft: 1, tpot: tpot));
                var c = plan.Candidates[0];
                if (!c.Feasible || c.Fleet!.Shape!.Devices == 1) continue;
                var single = plan.Evaluated.Where(o => o.Setup.Layout.Devices == 1 && o.Replicas == 1 && o.Feasible);
                Assert.Empty(single);
            }
    }

    [Theory]
    [InlineData("nvidia-dgx-h100")]
    [InlineData("amd-mi300x-8x")]
    [InlineData("nvidia-h100-sxm")]
    [InlineData("intel-gaudi3")]
    public void Doubling_the_rate_never_lowers_the_device_count(string candidate)
    {
        long previous = 0;
        for (double rate = 0.5; rate <= 256; rate *= 2)
        {
            var plan = Plans.Run(Plans.Request("llama-3.1-70b", rate, [candidate], ttft: 2, tpot: 0.1, quants: ["fp16", "fp8"]));
            var c = plan.Candidates[0];
            Assert.True(c.Feasible, c.Reason);
            long devices = c.Fleet!.Shape!.Devices;
            Assert.True(devices >= previous, $"{candidate}: {devices} devices at {rate}/s < {previous} at half the rate");
            previous = devices;
        }
    }

    [Theory]
    [InlineData(10.0)]
    [InlineData(15.0)]
    [InlineData(20.0)]
    [InlineData(45.0)]
    public void Racks_cover_the_power_drawn_at_the_rack_limit(double rackKw)
    {
        var plan = Plans.Run(Plans.Request("llama-3.1-70b", 60, [.. Vendors, "nvidia-dgx-b200"]) with { RackKw = rackKw });
        var shaped = plan.Evaluated.Where(o => o.Shape is not null).ToList();
        Assert.NotEmpty(shaped);
        foreach (var o in shaped)
        {
            var s = o.Shape!;
            Assert.True(s.Racks >= s.NameplateKw / rackKw - 1e-9, $"{o.Candidate}: {s.Racks} racks for {s.NameplateKw} kW at {rackKw} kW/rack");
            Assert.True(s.NameplateKw >= s.LoadKw, $"{o.Candidate}: load {s.LoadKw} kW above nameplate {s.NameplateKw} kW");
            Assert.True(s.Racks * s.ServersPerRack >= s.Servers);
        }
    }

    [Fact]
    public void An_infeasible_candidate_always_carries_its_reason()
    {
        var request = Plans.Request("llama-3.1-70b", 10, ["google-tpu-v5e", "nvidia-gb200-nvl72", "intel-xeon-platinum-8480plus", "nvidia-dgx-h100", "amd-mi300x-8x"],
            ttft: 2, tpot: 0.1) with { Budget = new Usd(200_000) };
        var plan = Plans.Run(request);
        var by = plan.Candidates.ToDictionary(c => c.Candidate);
        Assert.All(plan.Candidates.Where(c => !c.Feasible), c => Assert.False(string.IsNullOrWhiteSpace(c.Reason)));
        Assert.StartsWith("does not fit", by["google-tpu-v5e"].Reason);
        Assert.StartsWith("rack power", by["nvidia-gb200-nvl72"].Reason);
        Assert.StartsWith("latency floor", by["intel-xeon-platinum-8480plus"].Reason);
        Assert.StartsWith("over budget", by["nvidia-dgx-h100"].Reason);
        Assert.True(by["amd-mi300x-8x"].Feasible, by["amd-mi300x-8x"].Reason);
        Assert.Equal("amd-mi300x-8x", plan.Best!.Candidate);
        Assert.All(plan.Evaluated.Where(o => !o.Feasible), o => Assert.False(string.IsNullOrWhiteSpace(o.Reason)));
    }

    [Fact]
    public void Every_fleet_serves_its_rate_within_headroom_and_saturation()
    {
        var plan = Plans.Run(Plans.Request("llama-3.1-70b", 25, Vendors));
        foreach (var o in plan.Evaluated.Where(o => o.Feasible))
        {
            double rate = plan.Request.Traffic.RatePerSecond;
            Assert.True(o.HeadroomRate >= rate * (1 - 1e-9), $"{o.Candidate} {o.Setup}: headroom {o.HeadroomRate} below the rate {rate}");
            Assert.True(o.SaturationRate >= o.HeadroomRate * (1 - 1e-9));
            Assert.InRange(o.Utilization(rate), 0, 1);
            Assert.True(o.Outcome.TtftQuantile.Value <= plan.Request.Slo.Ttft.Value);
            Assert.True(o.Outcome.TpotQuantile.Value <= plan.Request.Slo.Tpot.Value);
            Assert.True(o.Money!.TcoUsd > 0 && double.IsFinite(o.Money.TcoUsd));
            Assert.True(o.Money.UsdPerQuery > 0 && double.IsFinite(o.Money.UsdPerMillionTokens));
        }
    }

    [Fact]
    public void Cloud_pricing_has_no_capital_and_rents_every_device()
    {
        var plan = Plans.Run(Plans.Request("llama-3.1-70b", 10, ["google-tpu-v5p"], quants: ["fp16", "int8"]));
        var c = plan.Candidates[0];
        Assert.True(c.Feasible, c.Reason);
        Assert.Equal("cloud", c.Fleet!.Money!.Pricing);
        Assert.Equal(0, c.Fleet.Money.CapexUsd);
        double expected = c.Fleet.Shape!.Devices * 4.20 * 8766;
        Assert.Equal(expected, c.Fleet.Money.OpexUsdPerYear, 6);
    }

    [Fact]
    public void The_cheapest_fleet_lies_on_the_cost_latency_front()
    {
        var plan = Plans.Run(Plans.Request("llama-3.1-70b", 20, Vendors, quants: ["fp16", "fp8"]));
        Assert.NotEmpty(plan.Pareto);
        var cheapest = plan.Pareto.MinBy(p => p.TcoUsd)!;
        Assert.True(cheapest.OnTtftFront || plan.Pareto.Any(p => p.TcoUsd == cheapest.TcoUsd && p.OnTtftFront));
        foreach (var p in plan.Pareto.Where(p => p.OnTtftFront))
            Assert.DoesNotContain(plan.Pareto, q => q.TcoUsd < p.TcoUsd && q.TtftSeconds < p.TtftSeconds);
        foreach (var p in plan.Pareto.Where(p => !p.OnTpotFront))
            Assert.Contains(plan.Pareto, q => q.TcoUsd <= p.TcoUsd && q.TpotSeconds <= p.TpotSeconds);
    }

    [Fact]
    public void Same_request_gives_the_same_plan()
    {
        var a = Plans.Run(Plans.Request("llama-3.1-70b", 12, Vendors));
        var b = Plans.Run(Plans.Request("llama-3.1-70b", 12, Vendors));
        Assert.Equal(a.Best!.Candidate, b.Best!.Candidate);
        Assert.Equal(a.Best.Fleet!.Money!.TcoUsd, b.Best.Fleet!.Money!.TcoUsd);
        Assert.Equal(a.Evaluated.Count, b.Evaluated.Count);
    }

    [Theory]
    [InlineData(0.0, "--rate")]
    [InlineData(double.NaN, "--rate")]
    public void Bad_rates_are_refused_with_the_option_named(double rate, string option)
    {
        var e = Assert.Throws<PerfSim.Composition.UsageException>(() => Plans.Run(Plans.Request("llama-3.1-8b", rate, ["nvidia-h100-sxm"])));
        Assert.StartsWith(option, e.Message);
    }
}
