using PerfSim.Data.Catalog;

namespace PerfSim.Planning.Tests;

/// <summary>The repository's own profiles, found from the test binary and loaded once.</summary>
public static class Repo
{
    static readonly Lazy<ProfileCatalog> catalog = new(() => ProfileCatalog.Load(Find()));
    public static ProfileCatalog Catalog => catalog.Value;

    static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (Directory.Exists(Path.Combine(d.FullName, "hardware-profiles")) && Directory.Exists(Path.Combine(d.FullName, "workloads")))
                return d.FullName;
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
