using PerfSim.Composition;
using PerfSim.Plots.Model;

namespace PerfSim.Plots.Charts;

/// <summary>Quantization what-if on one device: decode tokens/s per scheme (bars) and the weights each needs per device (right axis).</summary>
public static class QuantChart
{
    public const string Kind = "quant";

    public static Chart From(IReadOnlyList<ComposedPrediction> schemes)
    {
        if (schemes.Count == 0) throw new ArgumentException("quant chart: no predictions");
        var first = schemes[0].Prediction;
        var s = first.Workload.Scenario;
        return new Chart(Kind,
            $"Quantization what-if: {first.HardwareId}, {first.Workload.Model.Id}, batch {s.Batch}",
            new Axis("Weight format", ""),
            new Axis("Decode throughput", "tokens/s"),
            [
                new Series("decode tokens/s", SeriesStyle.Bars, schemes.Select((c, i) => new ChartPoint(i, c.Prediction.DecodeTokensPerSecond)).ToList()),
                new Series("weights per device (GB)", SeriesStyle.LineAndMarkers, schemes.Select((c, i) => new ChartPoint(i, c.Prediction.Memory.Weights.GB)).ToList(), RightAxis: true),
            ],
            Y2: new Axis("Weights", "GB"),
            Categories: schemes.Select(c => c.Prediction.Workload.Quant.Id).ToList(),
            Notes: BatchChart.NotRunnable(schemes));
    }
}
