using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Plots.Adapters;
using PerfSim.Serving;

namespace PerfSim.Plots.Tests;

/// <summary>The serving adapters plot exactly the simulator's own figures (in display units), from real runs.</summary>
public class AdapterTests
{
    static StepCost Cost()
    {
        var config = Composer.Compose(TestRepo.Catalog, new PredictionRequest
        {
            Hardware = "nvidia-h100-sxm", Model = "llama-3.1-8b", Quant = "fp16",
            Scenario = new ScenarioRequest(Batch: 16, Prompt: 512, Gen: 128),
        });
        return StepCost.For(config.Deployment, config.Workload, config.Execution, config.Assumptions);
    }

    static ServingResult Run(StepCost cost, double rate) =>
        ServingSimulator.Run(ServingConfig.Single(cost),
            new Traffic(new PoissonArrivals(rate), LengthDistribution.Fixed(512), LengthDistribution.Fixed(128), 30), new ServingOptions(Seed: 3));

    [Fact]
    public void Serving_timeline_and_load_charts_carry_the_simulators_figures()
    {
        var cost = Cost();
        var low = Run(cost, 2);
        var high = Run(cost, 8);

        var timeline = ServingChartData.Timeline(high);
        var kv = timeline["KV-cache occupancy (%)"].Points;
        var batch = timeline["running batch"].Points;
        Assert.Equal(high.TimeSeries.Count, kv.Count);
        for (int i = 0; i < kv.Count; i++)
        {
            Assert.Equal(high.TimeSeries[i].TimeSeconds, kv[i].X);
            Assert.Equal(high.TimeSeries[i].KvOccupancy * 100, kv[i].Y, 12);
            Assert.Equal(high.TimeSeries[i].RunningBatch, batch[i].Y, 12);
        }

        var load = ServingChartData.Load([high, low]);
        var p99 = load["TTFT p99"].Points;
        Assert.Equal([low.RequestsPerSecond, high.RequestsPerSecond], p99.Select(p => p.X));
        Assert.Equal(low.TtftSeconds.P99 * 1e3, p99[0].Y, 9);
        Assert.Equal(high.TpotSeconds.P50 * 1e3, load["TPOT p50"].Points[1].Y, 9);
        // More load never lowers the tail: the chart must show what the simulator measured, and physics says this.
        Assert.True(high.TtftSeconds.P99 >= low.TtftSeconds.P99 * 0.999);
    }
}
