using PerfSim.Composition;
using PerfSim.Core.Workloads;
using PerfSim.Plots.Charts;
using PerfSim.Plots.Studies;

namespace PerfSim.Plots.Tests;

/// <summary>The plotted data equal the engine's numbers for the same requests (asserted on the chart data model, not pixels).</summary>
public class InferenceChartTests
{
    static readonly PredictionRequest H100 = new() { Hardware = "nvidia-h100-sxm", Model = "llama-3.1-8b", Quant = "fp16" };

    [Fact]
    public void Roofline_has_a_ceiling_per_memory_level_and_places_every_operator_at_the_engines_numbers()
    {
        var composed = Composer.Predict(TestRepo.Catalog, H100);
        var chart = RooflineChart.From(composed);
        var d = composed.Configuration.Deployment;
        var ceilings = chart.Series.Where(s => s.Group == "ceiling" && s.Style == Model.SeriesStyle.Line).ToList();
        Assert.Equal(d.Device.Memory.Count, ceilings.Count);
        var peak = d.Engine.PeakFor(composed.Prediction.Execution.ComputeTypeFor(composed.Prediction.Workload.Quant)).Peak.Value / 1e12;
        foreach (var (level, ceiling) in d.Device.Memory.Zip(ceilings))
        {
            // The slope of each ceiling is the level's bandwidth; no ceiling rises above the compute peak.
            var first = ceiling.Points[0];
            Assert.Equal(d.PeakBandwidth(level).Value / 1e12, first.Y / first.X, 6);
            Assert.All(ceiling.Points, p => Assert.True(p.Y <= peak * (1 + 1e-12)));
        }
        foreach (var (stage, name) in new[] { (composed.Prediction.Prefill, "prefill operators"), (composed.Prediction.Decode, "decode operators") })
        {
            var ops = stage.Operators.Where(r => r.Operator.Flops > 0 && r.Operator.MemoryBytes > 0).ToList();
            var pts = chart[name].Points;
            Assert.Equal(ops.Count, pts.Count);
            Assert.NotEmpty(pts);
            foreach (var (r, p) in ops.Zip(pts))
            {
                Assert.Equal(r.Operator.Name, p.Label);
                Assert.Equal(r.Operator.Flops / r.Operator.MemoryBytes, p.X, 9);
                Assert.Equal(r.Operator.Flops / r.PerOccurrence.Time.Value / 1e12, p.Y, 9);
                // Physics: no operator beats the compute peak.
                Assert.True(p.Y <= peak * (1 + 1e-9), $"{name} {p.Label}: {p.Y} TFLOP/s above the {peak} peak");
            }
        }
        // Decode is memory-bound: its operators sit left of prefill's.
        Assert.True(chart["decode operators"].Points.Max(p => p.X) < chart["prefill operators"].Points.Max(p => p.X));
    }

    [Fact]
    public void Batch_chart_plots_the_predicted_throughput_and_latencies_of_each_batch()
    {
        var sweep = WhatIf.Batches(TestRepo.Catalog, H100, [1, 4, 16, 64]);
        var chart = BatchChart.From(sweep);
        for (int i = 0; i < sweep.Count; i++)
        {
            var p = sweep[i].Prediction;
            Assert.Equal(p.Workload.Scenario.Batch, chart["decode tokens/s (batch)"].Points[i].X);
            Assert.Equal(p.DecodeTokensPerSecond, chart["decode tokens/s (batch)"].Points[i].Y);
            Assert.Equal(p.Tpot.Value * 1e3, chart["TPOT (ms)"].Points[i].Y);
            Assert.Equal(p.Ttft.Value * 1e3, chart["TTFT (ms)"].Points[i].Y);
        }
        Assert.True(chart["TPOT (ms)"].RightAxis);
        var tps = chart["decode tokens/s (batch)"].Points.Select(p => p.Y).ToList();
        Assert.True(tps[^1] > tps[0], "batching raises aggregate decode throughput");
    }

    [Fact]
    public void Model_size_chart_has_one_series_per_device_at_the_models_parameter_counts()
    {
        string[] hw = ["nvidia-h100-sxm", "apple-m2-max-38c"];
        string[] models = ["llama-3.2-1b", "llama-3.1-8b", "llama-3.1-70b"];
        var grid = WhatIf.Grid(TestRepo.Catalog, H100 with { Quant = "q4_0" }, hw, models, ["q4_0"]);
        var chart = ModelSizeChart.From(grid);
        Assert.Equal(hw, chart.Series.Select(s => s.Name));
        foreach (var c in grid.Where(c => c.Prediction.Memory.Runnable))
        {
            var s = chart[c.Configuration.Deployment.HardwareId];
            var pt = s.Points.Single(p => p.Label == c.Prediction.Workload.Model.Id);
            Assert.Equal(ParameterCount.Of(c.Prediction.Workload.Arch).Total / 1e9, pt.X);
            Assert.Equal(c.Prediction.DecodeTokensPerSecond, pt.Y);
        }
        // Bigger models decode slower on the same device.
        foreach (var s in chart.Series) Assert.True(s.Points[0].Y > s.Points[^1].Y);
    }

    [Fact]
    public void Quant_chart_shows_each_schemes_decode_rate_and_weights()
    {
        var schemes = WhatIf.Grid(TestRepo.Catalog, H100, ["nvidia-rtx-4090"], ["llama-3.1-8b"], WhatIf.DefaultQuants);
        var chart = QuantChart.From(schemes);
        Assert.Equal(WhatIf.DefaultQuants, chart.Categories);
        for (int i = 0; i < schemes.Count; i++)
        {
            Assert.Equal(schemes[i].Prediction.DecodeTokensPerSecond, chart["decode tokens/s"].Points[i].Y);
            Assert.Equal(schemes[i].Prediction.Memory.Weights.GB, chart["weights per device (GB)"].Points[i].Y);
        }
        var w = chart["weights per device (GB)"].Points.Select(p => p.Y).ToList();
        Assert.True(w[0] > w[1] && w[1] > w[2], "fewer bits per weight, fewer bytes");
    }

    [Fact]
    public void Energy_stack_adds_up_to_the_engines_energy_per_token()
    {
        var cands = WhatIf.Grid(TestRepo.Catalog, H100, ["nvidia-h100-sxm", "nvidia-rtx-4090", "apple-m2-max-38c"], ["llama-3.1-8b"], ["q4_0"]);
        var chart = EnergyChart.From(cands);
        Assert.Contains(chart.Series, s => s.Name.StartsWith("data movement: ", StringComparison.Ordinal));
        for (int i = 0; i < cands.Count; i++)
        {
            double stacked = chart.Series.Sum(s => s.Points[i].Y);
            Assert.Equal(cands[i].Prediction.Energy.DecodePerToken.Total.Value * 1e3, stacked, 9);
            Assert.Equal(cands[i].Prediction.Energy.DecodePerToken.Arithmetic.Value * 1e3, chart["arithmetic"].Points[i].Y);
        }
        Assert.Equal(["nvidia-h100-sxm", "nvidia-rtx-4090", "apple-m2-max-38c"], chart.Categories);
    }

    [Fact]
    public void Cost_chart_plots_each_priced_candidates_cost_per_million_tokens()
    {
        var cands = WhatIf.Grid(TestRepo.Catalog, H100, ["nvidia-h100-sxm", "nvidia-l4", "amd-mi300x"], ["llama-3.1-8b"], ["fp16"]);
        var chart = CostChart.From(cands);
        var priced = cands.Where(c => c.Prediction.Cost is not null).ToList();
        Assert.NotEmpty(priced);
        Assert.Equal(priced.Count, chart.Series[0].Points.Count);
        for (int i = 0; i < priced.Count; i++) Assert.Equal(priced[i].Prediction.Cost!.UsdPerMillionTokens, chart.Series[0].Points[i].Y);
        Assert.Contains(chart.Notes!, n => n.StartsWith("assumptions:", StringComparison.Ordinal));
    }
}
