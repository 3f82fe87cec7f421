using PerfSim.Tests.Shared;
using PerfSim.Data.Catalog;

namespace PerfSim.Plots.Tests;

/// <summary>The repository's own profiles, loaded once for every test.</summary>
public static class TestRepo
{
    public static string Root { get; } = RepositoryRoot.Find();
    static readonly Lazy<ProfileCatalog> catalog = new(() => ProfileCatalog.Load(Root));
    public static ProfileCatalog Catalog => catalog.Value;
}
