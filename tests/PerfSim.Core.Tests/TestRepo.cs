using PerfSim.Tests.Shared;
using PerfSim.Data.Catalog;

namespace PerfSim.Core.Tests;

/// <summary>The repository's own data folders, found from the test binary, and the catalog loaded once.</summary>
public static class TestRepo
{
    public static string Root { get; } = RepositoryRoot.Find();

    static readonly Lazy<ProfileCatalog> catalog = new(() => ProfileCatalog.Load(Root));
    public static ProfileCatalog Catalog => catalog.Value;
}
