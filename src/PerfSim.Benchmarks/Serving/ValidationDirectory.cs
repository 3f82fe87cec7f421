namespace PerfSim.Benchmarks.Serving;

/// <summary>Where the measurement files are: the given folder, else the repository's copy (`validation/`), else the shared reference.</summary>
static class ValidationDirectory
{
    public static string Find(string? dir)
    {
        if (dir is not null) return dir;
        foreach (var d in new[] { "validation", "../shared/validation" })
            if (File.Exists(Path.Combine(d, "energy-measurements.csv"))) return d;
        throw new DirectoryNotFoundException("no energy-measurements.csv in ./validation or ../shared/validation; pass the folder as the argument");
    }
}
