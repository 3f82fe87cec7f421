using PerfSim.Data.Measurements;
using PerfSim.Plots.Charts;
using PerfSim.Validation;

namespace PerfSim.Plots.Tests;

public class ModuleChartTests
{
    [Fact]
    public void Validation_chart_plots_every_predicted_rate_row_by_backend_with_the_MAPE_band()
    {
        var file = ReferenceFile.Load(Path.Combine(TestRepo.Root, "validation", "public-measurements.csv"));
        var result = Validator.Run(TestRepo.Catalog, file);
        var chart = ValidationChart.From(result);
        var rows = result.Rows.Where(r => ValidationChart.Rates.Contains(r.Row.Metric)).ToList();
        var backendSeries = chart.Series.Where(s => s.Group is not null).ToList();
        Assert.Equal(rows.Count, backendSeries.Sum(s => s.Points.Count));
        foreach (var g in rows.GroupBy(r => r.Row.Backend))
        {
            var s = backendSeries.Single(x => x.Group == g.Key);
            Assert.Equal(g.Select(r => (r.Measured, r.Predicted)), s.Points.Select(p => (p.X, p.Y)));
        }
        double mape = rows.Average(r => Math.Abs(r.ErrorPercent));
        var upper = chart.Series.Single(s => s.Name.StartsWith('+'));
        Assert.Equal(1 + mape / 100, upper.Points[0].Y / upper.Points[0].X, 9);
        Assert.True(chart.X.Log && chart.Y.Log);
    }

    [Fact]
    public void Validation_chart_refuses_to_mix_rates_and_times()
    {
        var result = new ValidationResult([], [], Validator.Summarize([], 0));
        Assert.Throws<ArgumentException>(() => ValidationChart.From(result, [Metric.TtftS, Metric.DecodeTokensPerS]));
    }

    [Fact]
    public void Pareto_front_keeps_exactly_the_undominated_candidates()
    {
        PlanPoint[] c =
        [
            new("a", 10, 0.5), new("b", 4, 1.0), new("c", 6, 1.2), new("d", 2, 3.0), new("e", 2, 4.0), new("f", 12, 0.4),
        ];
        var front = ParetoChart.Front(c).Select(p => p.Label).ToList();
        Assert.Equal(["f", "a", "b", "d"], front);
        foreach (var p in c)
        {
            bool dominated = c.Any(o => o != p && o.UsdPerMillionTokens <= p.UsdPerMillionTokens && o.P99Seconds <= p.P99Seconds
                                        && (o.UsdPerMillionTokens < p.UsdPerMillionTokens || o.P99Seconds < p.P99Seconds));
            Assert.Equal(!dominated, front.Contains(p.Label));
        }
        var chart = ParetoChart.From(c);
        Assert.Equal(4, chart["Pareto front"].Points.Count);
        Assert.Equal(2, chart["dominated candidates"].Points.Count);
        Assert.Throws<ArgumentException>(() => ParetoChart.From([new("bad", double.NaN, 1)]));
    }

    [Fact]
    public void Serving_and_training_charts_plot_their_records_in_display_units()
    {
        var load = ServingCharts.Load([new(20, 0.2, 0.9, 0.02, 0.05), new(10, 0.1, 0.3, 0.015, 0.02)]);
        Assert.Equal([10.0, 20.0], load["TTFT p99"].Points.Select(p => p.X));
        Assert.Equal([300.0, 900.0], load["TTFT p99"].Points.Select(p => p.Y));
        var tl = ServingCharts.Timeline([new(0, 0.1, 2), new(1, 0.5, 8)]);
        Assert.Equal([10.0, 50.0], tl["KV-cache occupancy (%)"].Points.Select(p => p.Y));
        Assert.True(tl["running batch"].RightAxis);
        TrainingStepPoint[] steps = [new(8, 2.0, 0.5, 0.1), new(1, 10.0, 0, 0)];
        var split = TrainingCharts.Split(steps);
        Assert.Equal(["1", "8"], split.Categories);
        Assert.Equal(2.6, split.Series.Sum(s => s.Points[1].Y), 12);
        var ratio = TrainingCharts.Ratio(steps);
        Assert.Equal([0.0, 0.25], ratio.Series[0].Points.Select(p => p.Y));
    }
}
