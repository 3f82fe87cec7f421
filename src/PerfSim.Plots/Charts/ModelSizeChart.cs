using PerfSim.Composition;
using PerfSim.Core.Workloads;
using PerfSim.Plots.Model;

namespace PerfSim.Plots.Charts;

/// <summary>Decode tokens/s vs model size (total parameters), one series per device; configurations that do not fit are left out and noted.</summary>
public static class ModelSizeChart
{
    public const string Kind = "model-size";

    public static Chart From(IReadOnlyList<ComposedPrediction> grid)
    {
        if (grid.Count == 0) throw new ArgumentException("model-size chart: no predictions");
        var series = grid.Where(c => c.Prediction.Memory.Runnable)
            .GroupBy(c => c.Configuration.Deployment.HardwareId, StringComparer.Ordinal)
            .Select(g => new Series(g.Key, SeriesStyle.LineAndMarkers,
                g.Select(c => new ChartPoint(ParameterCount.Of(c.Prediction.Workload.Arch).Total / 1e9, c.Prediction.DecodeTokensPerSecond, c.Prediction.Workload.Model.Id))
                 .OrderBy(p => p.X).ToList()))
            .ToList();
        var first = grid[0].Prediction;
        var s = first.Workload.Scenario;
        return new Chart(Kind,
            $"Decode speed vs model size ({first.Workload.Quant.Id}, batch {s.Batch}, prompt {s.PromptTokens}, gen {s.GeneratedTokens})",
            new Axis("Model size", "billion parameters", Log: true),
            new Axis("Decode throughput", "tokens/s", Log: true),
            series,
            Notes: BatchChart.NotRunnable(grid));
    }
}
