using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Plots.Model;

namespace PerfSim.Plots.Charts;

/// <summary>
/// The roofline of the device a prediction ran on: one bandwidth ceiling per memory level (the memory wall, each
/// capped by the compute peak), the dense compute peak for the workload's matmul type, and every operator of the
/// prefill pass and of a decode step placed at its arithmetic intensity and the rate the engine predicts for it.
/// </summary>
public static class RooflineChart
{
    public const string Kind = "roofline";
    /// <summary>X range of the ceilings, FLOP per byte: from streaming elementwise work to large GEMMs.</summary>
    public const double MinIntensity = 0.01, MaxIntensity = 100_000;
    const double Tera = 1e12;

    public static Chart From(ComposedPrediction composed)
    {
        var d = composed.Configuration.Deployment;
        var p = composed.Prediction;
        var matmulType = p.Execution.ComputeTypeFor(p.Workload.Quant);
        var (peakType, peak) = d.Engine.PeakFor(matmulType);
        var series = new List<Series>();

        foreach (var level in d.Device.Memory)
        {
            double bw = d.PeakBandwidth(level).Value;
            double ridge = peak.Value / bw;
            var pts = new List<ChartPoint> { new(MinIntensity, bw * MinIntensity / Tera) };
            if (ridge > MinIntensity && ridge < MaxIntensity) pts.Add(new(ridge, peak.Value / Tera));
            pts.Add(new(MaxIntensity, Math.Min(peak.Value, bw * MaxIntensity) / Tera));
            series.Add(new Series($"{level.Id} {Format.Rate(bw)}", SeriesStyle.Line, pts, Group: "ceiling"));
        }
        series.Add(new Series($"{peakType.ToString().ToLowerInvariant()} dense peak {peak.Value / Tera:0.#} TFLOP/s", SeriesStyle.DashedLine,
            [new(MinIntensity, peak.Value / Tera), new(MaxIntensity, peak.Value / Tera)], Group: "ceiling"));
        series.Add(OperatorSeries("prefill operators", p.Prefill));
        series.Add(OperatorSeries("decode operators", p.Decode));

        var w = p.Workload;
        return new Chart(Kind,
            $"Roofline: {d.HardwareId}, {w.Model.Id} {w.Quant.Id}, batch {w.Scenario.Batch}",
            new Axis("Arithmetic intensity", "FLOP/byte", Log: true),
            new Axis("Attainable performance", "TFLOP/s", Log: true),
            series,
            Notes: [$"ceilings: peak bandwidth of each memory level (before efficiency factors) and the dense {peakType.ToString().ToLowerInvariant()} peak; operators: FLOP ÷ predicted time per occurrence"]);
    }

    /// <summary>Each operator with work and traffic: (FLOP ÷ bytes moved, FLOP ÷ predicted time) in TFLOP/s.</summary>
    public static Series OperatorSeries(string name, StageResult stage) => new(name, SeriesStyle.Markers,
        stage.Operators
            .Where(r => r.Operator.Flops > 0 && r.Operator.MemoryBytes > 0 && r.PerOccurrence.Time.Value > 0)
            .Select(r => new ChartPoint(r.Operator.Intensity, r.Operator.Flops / r.PerOccurrence.Time.Value / Tera, r.Operator.Name))
            .ToList(),
        Group: stage.Stage.ToString().ToLowerInvariant());
}
