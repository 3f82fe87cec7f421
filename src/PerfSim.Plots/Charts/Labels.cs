using PerfSim.Composition;

namespace PerfSim.Plots.Charts;

/// <summary>Candidate labels that name only what differs between candidates (hardware, device count, model, quantization, batch).</summary>
public static class Labels
{
    public static IReadOnlyList<string> Distinct(IReadOnlyList<ComposedPrediction> candidates)
    {
        var parts = candidates.Select(Parts).ToList();
        if (parts.Count == 0) return [];
        int n = parts[0].Length;
        var varying = Enumerable.Range(0, n).Where(i => parts.Select(p => p[i]).Distinct(StringComparer.Ordinal).Count() > 1).ToList();
        if (varying.Count == 0) varying = [0];
        return parts.Select(p => string.Join(" ", varying.Select(i => p[i]))).ToList();
    }

    static string[] Parts(ComposedPrediction c)
    {
        var p = c.Prediction;
        var devices = c.Configuration.DevicesUsed;
        return [p.HardwareId, devices > 1 ? $"×{devices}" : "", p.Workload.Model.Id, p.Workload.Quant.Id, $"b{p.Workload.Scenario.Batch}"];
    }
}
