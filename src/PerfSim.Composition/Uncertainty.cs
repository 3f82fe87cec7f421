using System.Collections.Concurrent;
using PerfSim.Core.Uncertainty;
using PerfSim.Data.Catalog;
using PerfSim.Data.Uncertainty;

namespace PerfSim.Composition;

/// <summary>
/// The 80 % interval of a composed prediction: the residual statistics `perfsim fit` wrote (`workloads/residuals.json`,
/// read once per data folder) for the request's backend and regime, widened where the request leaves what the backend
/// was measured on. Every front end asks here, so `predict`, `compare`, `serve` and `plan` print the same interval.
/// </summary>
public static class Uncertainty
{
    static readonly ConcurrentDictionary<string, ResidualStatistics?> Loaded = new(StringComparer.Ordinal);

    /// <summary>The statistics of a data folder; null when no fit has written them.</summary>
    public static ResidualStatistics? Statistics(ProfileCatalog catalog) =>
        Loaded.GetOrAdd(catalog.Root, root => ResidualFile.Load(ResidualFile.PathIn(root)));

    public static PredictionIntervals For(ProfileCatalog catalog, ComposedPrediction composed) => For(catalog, composed.Configuration);

    public static PredictionIntervals For(ProfileCatalog catalog, Configuration c)
    {
        if (Statistics(catalog) is not { } stats) return PredictionIntervals.None($"no residual statistics ({ResidualFile.RelativePath} missing: run perfsim fit --update-profiles)");
        var point = RequestPoints.Of(c.Deployment.Device, c.Workload, c.Deployment.Devices, c.Workload.Scenario.Batch);
        return stats.For(c.Request.Backend, point);
    }
}
