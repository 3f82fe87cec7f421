using PerfSim.Tests.Shared;
using PerfSim.Data.Catalog;

namespace PerfSim.Fuzz.Tests;

/// <summary>The repository (found from the test binary), its catalog loaded once, and the fuzz project's own folders.</summary>
public static class FuzzRepo
{
    public static string Root { get; } = RepositoryRoot.Find();
    public static string Project => Path.Combine(Root, "tests", "PerfSim.Fuzz.Tests");
    public static string Corpus => Path.Combine(Project, "Corpus");

    static readonly Lazy<ProfileCatalog> catalog = new(() => ProfileCatalog.Load(Root));
    public static ProfileCatalog Catalog => catalog.Value;
}
