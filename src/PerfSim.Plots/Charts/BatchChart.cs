using PerfSim.Composition;
using PerfSim.Plots.Model;

namespace PerfSim.Plots.Charts;

/// <summary>Decode tokens/s of the whole batch (left) and TTFT / TPOT (right) as the batch grows, one configuration.</summary>
public static class BatchChart
{
    public const string Kind = "batch";

    public static Chart From(IReadOnlyList<ComposedPrediction> sweep)
    {
        if (sweep.Count == 0) throw new ArgumentException("batch chart: no predictions");
        var ordered = sweep.OrderBy(c => c.Prediction.Workload.Scenario.Batch).ToList();
        ChartPoint At(ComposedPrediction c, double y) => new(c.Prediction.Workload.Scenario.Batch, y);
        var first = ordered[0].Prediction;
        var s = first.Workload.Scenario;
        return new Chart(Kind,
            $"Batch sweep: {first.HardwareId}, {first.Workload.Model.Id} {first.Workload.Quant.Id}, prompt {s.PromptTokens}, gen {s.GeneratedTokens}",
            new Axis("Batch size", "sequences", Log: true),
            new Axis("Decode throughput", "tokens/s", Log: true),
            [
                new Series("decode tokens/s (batch)", SeriesStyle.LineAndMarkers, ordered.Select(c => At(c, c.Prediction.DecodeTokensPerSecond)).ToList()),
                new Series("TPOT (ms)", SeriesStyle.LineAndMarkers, ordered.Select(c => At(c, c.Prediction.Tpot.Value * 1e3)).ToList(), RightAxis: true),
                new Series("TTFT (ms)", SeriesStyle.LineAndMarkers, ordered.Select(c => At(c, c.Prediction.Ttft.Value * 1e3)).ToList(), RightAxis: true),
            ],
            Y2: new Axis("Latency", "ms", Log: true),
            Notes: NotRunnable(ordered));
    }

    internal static IReadOnlyList<string> NotRunnable(IEnumerable<ComposedPrediction> cs) =>
        cs.Where(c => !c.Prediction.Memory.Runnable)
          .Select(c => $"{c.Prediction.HardwareId} {c.Prediction.Workload.Model.Id} {c.Prediction.Workload.Quant.Id} batch {c.Prediction.Workload.Scenario.Batch}: does not fit ({c.Prediction.Memory.Total} per device, memory {c.Prediction.Memory.Capacity})")
          .ToList();
}
