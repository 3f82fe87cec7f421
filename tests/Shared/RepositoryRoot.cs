namespace PerfSim.Tests.Shared;

/// <summary>The repository root, found by walking up from the test binary to the folder holding the profiles. One copy,
/// linked into every test project that needs it.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (Directory.Exists(Path.Combine(d.FullName, "hardware-profiles")) && Directory.Exists(Path.Combine(d.FullName, "workloads")))
                return d.FullName;
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
