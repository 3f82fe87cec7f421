using PerfSim.Tests.Shared;
using PerfSim.Data.Catalog;

namespace PerfSim.Planning.Tests;

/// <summary>The repository's own profiles, found from the test binary and loaded once.</summary>
public static class Repo
{
    static readonly Lazy<ProfileCatalog> catalog = new(() => ProfileCatalog.Load(RepositoryRoot.Find()));
    public static ProfileCatalog Catalog => catalog.Value;
}
