
namespace PerfSim.Core.Tests;

static class TestData
{
    /// <summary>The repository root (holding hardware-profiles/ and workloads/), found from the test binary.</summary>
    public static string Root => TestRepo.Root;

    public static string Fixture(string name)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var p = Path.Combine(d.FullName, "Fixtures", name);
            if (File.Exists(p)) return p;
            p = Path.Combine(d.FullName, "tests", "PerfSim.Core.Tests", "Fixtures", name);
            if (File.Exists(p)) return p;
        }
        throw new FileNotFoundException($"fixture {name} not found");
    }
}
