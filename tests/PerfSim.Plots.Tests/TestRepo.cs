using PerfSim.Data.Catalog;

namespace PerfSim.Plots.Tests;

/// <summary>The repository's own profiles, loaded once for every test.</summary>
public static class TestRepo
{
    public static string Root { get; } = FindRoot();
    static readonly Lazy<ProfileCatalog> catalog = new(() => ProfileCatalog.Load(Root));
    public static ProfileCatalog Catalog => catalog.Value;

    static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (Directory.Exists(Path.Combine(d.FullName, "hardware-profiles")) && Directory.Exists(Path.Combine(d.FullName, "workloads")))
                return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }
}
