using PerfSim.Composition;
using PerfSim.Data.Catalog;
using PerfSim.Training;

namespace PerfSim.Training.Tests;

/// <summary>The repository's catalog (found from the test binary) and a composed A100 cluster, loaded once.</summary>
public static class TestSupport
{
    public static string Root { get; } = Find();
    static readonly Lazy<ProfileCatalog> catalog = new(() => ProfileCatalog.Load(Root));
    public static ProfileCatalog Catalog => catalog.Value;

    public static TrainingSetup Setup(TrainingRequest r) => TrainingComposer.Compose(Catalog, r);

    public static TrainingStep Step(TrainingRequest r)
    {
        var s = Setup(r);
        return StepEstimator.Estimate(s.Job, s.Cluster, s.Precision, s.Execution, s.Collectives);
    }

    static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (Directory.Exists(Path.Combine(d.FullName, "hardware-profiles")) && Directory.Exists(Path.Combine(d.FullName, "workloads")))
                return d.FullName;
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
