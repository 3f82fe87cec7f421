using PerfSim.Composition;
using PerfSim.Planning;
using PerfSim.Planning.Search;
using PerfSim.Planning.Serving;
using PerfSim.Plots.Adapters;
using PerfSim.Plots.Charts;
using PerfSim.Plots.Rendering;
using PerfSim.Plots.Studies;

namespace PerfSim.Plots.Tests;

/// <summary>
/// The module charts `perfsim plot` and `perfsim report` draw (serving load and timeline, Pareto, training) carry the
/// modules' own numbers from real runs, and render to images of the size asked for.
/// </summary>
public class ModuleStudyTests
{
    static readonly PredictionRequest H100 = new() { Hardware = "nvidia-h100-sxm", Model = "llama-3.1-8b", Quant = "fp16" };

    static void RendersAtSize(Model.Chart chart)
    {
        Assert.Equal((700, 420), ImageFiles.PngSize(ChartRenderer.Png(chart, 700, 420)));
        Assert.Equal((900, 500), ImageFiles.SvgSize(ChartRenderer.Svg(chart, 900, 500)));
    }

    [Fact]
    public void Serving_load_chart_plots_each_offered_rate_at_the_simulators_percentiles()
    {
        double[] rates = [2, 8, 32];
        var runs = ServingStudy.Loads(TestRepo.Catalog, H100, rates, 512, 128, durationSeconds: 40, seed: 5);
        var chart = ServingChartData.Load(runs);
        Assert.Equal(ServingCharts.LoadKind, chart.Kind);
        Assert.Equal(rates, chart["TTFT p99"].Points.Select(p => p.X));
        for (int i = 0; i < rates.Length; i++)
        {
            var r = runs[i].Result;
            Assert.Equal(r.TtftSeconds.P50 * 1e3, chart["TTFT p50"].Points[i].Y, 9);
            Assert.Equal(r.TtftSeconds.P99 * 1e3, chart["TTFT p99"].Points[i].Y, 9);
            Assert.Equal(r.TpotSeconds.P50 * 1e3, chart["TPOT p50"].Points[i].Y, 9);
            Assert.Equal(r.TpotSeconds.P99 * 1e3, chart["TPOT p99"].Points[i].Y, 9);
        }
        // Seeded: the same study gives the same figures.
        var again = ServingStudy.Loads(TestRepo.Catalog, H100, rates, 512, 128, durationSeconds: 40, seed: 5);
        Assert.Equal(runs.Select(r => r.Result.TtftSeconds.P99), again.Select(r => r.Result.TtftSeconds.P99));
        // More load, a longer decode step: TPOT p50 does not fall as the rate rises fourfold twice.
        Assert.True(runs[2].Result.TpotSeconds.P50 >= runs[0].Result.TpotSeconds.P50);
        RendersAtSize(chart);
    }

    [Fact]
    public void Serving_timeline_chart_is_the_runs_time_series()
    {
        var run = ServingStudy.Run(TestRepo.Catalog, H100, 6, 512, 128, durationSeconds: 30, seed: 2);
        var chart = ServingChartData.Timeline(run);
        Assert.Equal(run.TimeSeries.Select(p => p.RunningBatch), chart["running batch"].Points.Select(p => p.Y));
        Assert.Equal(run.TimeSeries.Select(p => p.KvOccupancy * 100), chart["KV-cache occupancy (%)"].Points.Select(p => p.Y));
        Assert.All(chart["KV-cache occupancy (%)"].Points, p => Assert.InRange(p.Y, 0, 100));
        RendersAtSize(chart);
    }

    [Fact]
    public void Pareto_chart_plots_the_planners_fleets_and_its_front_is_undominated()
    {
        var request = new PlanRequest
        {
            Model = "llama-3.1-8b", Traffic = new Traffic(4, 512, 128),
            Slo = new Slo(new Core.Units.Seconds(2), new Core.Units.Seconds(0.1)),
            Candidates = ["nvidia-h100-sxm", "nvidia-l4"],
        };
        var plan = Planner.Plan(TestRepo.Catalog, request, new EngineReplicaModel(TestRepo.Catalog, request.Model));
        Assert.NotEmpty(plan.Pareto);
        var chart = PlanChartData.Pareto(plan);
        var all = chart.Series.SelectMany(s => s.Points).Select(p => (p.X, p.Y)).ToList();
        Assert.Equal(plan.Pareto.Count, all.Count);
        foreach (var p in plan.Pareto) Assert.Contains((p.TtftSeconds * 1e3, p.TcoUsd), all);
        var front = chart["Pareto front"].Points;
        Assert.All(front, f => Assert.DoesNotContain(all, o => o.X <= f.X && o.Y <= f.Y && (o.X < f.X || o.Y < f.Y)));
        Assert.Contains(front, f => f.Y == plan.Pareto.Min(p => p.TcoUsd));
        RendersAtSize(chart);
    }

    [Fact]
    public void Training_charts_plot_the_sweeps_step_split_and_communication_ratio()
    {
        var sweep = TrainingComposer.Sweep(TestRepo.Catalog, new TrainingRequest { Hardware = "nvidia-h100-sxm", Model = "llama-3.1-8b", Tokens = 1e12 }, [8, 32, 128]);
        var split = TrainingChartData.Split(sweep.Points);
        var ratio = TrainingChartData.Ratio(sweep.Points);
        Assert.Equal(["8", "32", "128"], split.Categories);
        for (int i = 0; i < sweep.Points.Count; i++)
        {
            var step = sweep.Points[i].Step;
            Assert.Equal(step.Compute.Value, split["compute"].Points[i].Y);
            Assert.Equal(step.ExposedCommunication.Value, split["exposed communication"].Points[i].Y);
            Assert.Equal(step.Bubble.Value, split["idle (pipeline bubble)"].Points[i].Y);
            Assert.Equal(sweep.Points[i].Devices, ratio.Series[0].Points[i].X);
            Assert.Equal(step.Communication.Total / step.Compute.Value, ratio.Series[0].Points[i].Y, 12);
        }
        // Data parallel at a fixed global batch: more devices, less compute per step.
        Assert.True(split["compute"].Points[^1].Y < split["compute"].Points[0].Y);
        RendersAtSize(split);
        RendersAtSize(ratio);
    }

    [Fact]
    public void Report_carries_the_serving_pareto_and_training_charts()
    {
        var doc = ReportStudy.Build(TestRepo.Catalog, new StudyRequest(new PredictionRequest(), ["nvidia-h100-sxm", "nvidia-l4"], ["llama-3.1-8b"], null, [1, 16],
            Modules: new ModuleStudy([1, 4], 4, 30, 4, [8, 32])));
        var kinds = doc.Charts.Select(c => c.Kind).ToList();
        foreach (var k in new[] { ServingCharts.LoadKind, ServingCharts.TimelineKind, ParetoChart.Kind, TrainingCharts.SplitKind, TrainingCharts.RatioKind })
            Assert.Contains(k, kinds);
        Assert.DoesNotContain(doc.Assumptions, a => a.Contains("left out", StringComparison.Ordinal));
    }

    [Fact]
    public void A_module_the_study_cannot_run_is_left_out_with_its_reason()
    {
        // Llama 3.1 70B in fp16 (about 141 GB of weights) does not fit one 24 GB L4: the report says so instead of drawing.
        var doc = ReportStudy.Build(TestRepo.Catalog, new StudyRequest(new PredictionRequest(), ["nvidia-l4"], ["llama-3.1-70b"], null, [1],
            Modules: new ModuleStudy([1], 1, 10, 1, [8])));
        Assert.DoesNotContain(doc.Charts, c => c.Kind == ServingCharts.LoadKind);
        Assert.Contains(doc.Assumptions, a => a.StartsWith("serving charts left out: ", StringComparison.Ordinal));
    }
}
