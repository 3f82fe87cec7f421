using PerfSim.Composition;
using PerfSim.Data.Measurements;
using PerfSim.Plots.Charts;
using PerfSim.Plots.Model;
using PerfSim.Plots.Rendering;
using PerfSim.Plots.Studies;
using PerfSim.Validation;

namespace PerfSim.Plots.Tests;

/// <summary>Every chart kind renders to a valid PNG and SVG of the size asked for.</summary>
public class RenderingTests
{
    static readonly PredictionRequest Base = new() { Hardware = "nvidia-h100-sxm", Model = "llama-3.1-8b", Quant = "fp16" };

    public static TheoryData<string> Kinds => new(Charts().Keys);

    static Dictionary<string, Func<Chart>> Charts()
    {
        var cat = TestRepo.Catalog;
        return new()
        {
            [RooflineChart.Kind] = () => RooflineChart.From(Composer.Predict(cat, Base)),
            [BatchChart.Kind] = () => BatchChart.From(WhatIf.Batches(cat, Base, [1, 8, 64])),
            [ModelSizeChart.Kind] = () => ModelSizeChart.From(WhatIf.Grid(cat, Base, ["nvidia-h100-sxm", "nvidia-rtx-4090"], ["llama-3.2-1b", "llama-3.1-8b"], ["q4_0"])),
            [QuantChart.Kind] = () => QuantChart.From(WhatIf.Grid(cat, Base, ["apple-m2-max-38c"], ["llama-3.1-8b"], WhatIf.DefaultQuants)),
            [EnergyChart.Kind] = () => EnergyChart.From(WhatIf.Grid(cat, Base, ["nvidia-h100-sxm", "nvidia-l4"], ["llama-3.1-8b"], ["fp16"])),
            [CostChart.Kind] = () => CostChart.From(WhatIf.Grid(cat, Base, ["nvidia-h100-sxm", "nvidia-l4"], ["llama-3.1-8b"], ["fp16"])),
            [ValidationChart.Kind] = () => ValidationChart.From(Validator.Run(cat, ReferenceFile.Load(Path.Combine(TestRepo.Root, "validation", "public-measurements.csv")))),
            [ParetoChart.Kind] = () => ParetoChart.From([new("a", 3, 0.2), new("b", 1, 0.9), new("c", 2, 1.5)]),
            [ServingCharts.LoadKind] = () => ServingCharts.Load([new(1, 0.1, 0.2, 0.01, 0.02), new(4, 0.2, 0.8, 0.012, 0.04)]),
            [ServingCharts.TimelineKind] = () => ServingCharts.Timeline([new(0, 0, 0), new(1, 0.4, 6), new(2, 0.7, 12)]),
            [TrainingCharts.SplitKind] = () => TrainingCharts.Split([new(1, 10, 0, 0), new(8, 1.4, 0.3, 0.1)]),
            [TrainingCharts.RatioKind] = () => TrainingCharts.Ratio([new(1, 10, 0, 0), new(8, 1.4, 0.3, 0.1)]),
        };
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Chart_renders_to_a_png_and_an_svg_of_the_stated_size(string kind)
    {
        var chart = Charts()[kind]();
        Assert.Equal(kind, chart.Kind);
        Assert.False(string.IsNullOrWhiteSpace(chart.Title));
        Assert.All(chart.Series, s => Assert.All(s.Points, p => Assert.True(double.IsFinite(p.X) && double.IsFinite(p.Y), $"{s.Name}: non-finite point")));
        var png = ChartRenderer.Png(chart, 640, 400);
        Assert.Equal((640, 400), ImageFiles.PngSize(png));
        var svg = ChartRenderer.Svg(chart, 800, 500);
        Assert.Equal((800, 500), ImageFiles.SvgSize(svg));
        Assert.Contains(chart.Title.Split(':')[0], svg);
        if (Environment.GetEnvironmentVariable("PERFSIM_PLOTS_OUT") is { Length: > 0 } dir)
            ChartRenderer.Save(chart, Path.Combine(dir, kind + ".png"));
    }

    [Fact]
    public void Saving_refuses_an_unknown_extension_with_one_clear_line()
    {
        var chart = ParetoChart.From([new("a", 3, 0.2)]);
        var e = Assert.Throws<ArgumentException>(() => ChartRenderer.Save(chart, Path.Combine(Path.GetTempPath(), "x.jpg")));
        Assert.Contains(".png or .svg", e.Message);
    }

    [Theory]
    [InlineData(0, "1")]
    [InlineData(-2, "0.01")]
    [InlineData(3, "1,000")]
    [InlineData(6, "1e6")]
    public void Decade_labels_are_plain_numbers_near_one_and_powers_beyond(double log10, string label) =>
        Assert.Equal(label, ChartRenderer.Decade(log10));
}
