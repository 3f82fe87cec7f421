using System.Text.RegularExpressions;

namespace PerfSim.Architecture.Tests;

/// <summary>docs/architecture.md's rules, checked on the project files and on Core's sources.</summary>
public partial class ArchitectureTests
{
    public static TheoryData<string> SourceProjects()
    {
        var data = new TheoryData<string>();
        foreach (var p in ProjectFiles.Under("src")) data.Add(p.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void EveryProject_ReferencesOnlyWhatItsRuleAllows(string name)
    {
        var p = ProjectFiles.Under("src").Single(x => x.Name == name);
        Assert.True(DependencyRules.Allowed.TryGetValue(name, out var rule),
            $"{name} has no rule in DependencyRules (and docs/architecture.md): say what it may reference");
        foreach (var r in p.Projects)
            Assert.True(rule!.Projects.Contains(r), $"{name} references {r}, which its rule does not allow");
        foreach (var pkg in p.Packages)
            Assert.True(rule!.Packages.Contains(pkg), $"{name} references package {pkg}, which its rule does not allow");
    }

    [Fact]
    public void NothingReferencesTheCli_ButItsTests()
    {
        foreach (var p in ProjectFiles.Under("src").Concat(ProjectFiles.Under("tests")))
            if (p.Projects.Contains("PerfSim.Cli"))
                Assert.True(p.Path.Contains($"{Path.DirectorySeparatorChar}tests{Path.DirectorySeparatorChar}"), $"{p.Name} references PerfSim.Cli");
    }

    [Fact]
    public void Core_HasNoPackageOrProjectReference()
    {
        var core = ProjectFiles.Under("src").Single(p => p.Name == "PerfSim.Core");
        Assert.Empty(core.Packages);
        Assert.Empty(core.Projects);
    }

    [Fact]
    public void Core_DoesNoFileOrConsoleIo()
    {
        var offending = Directory.GetFiles(Path.Combine(ProjectFiles.Root, "src", "PerfSim.Core"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => IoCall().IsMatch(StripComment(x.line)))
            .Select(x => $"{Path.GetRelativePath(ProjectFiles.Root, x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToArray();
        Assert.True(offending.Length == 0, "Core must stay pure:\n" + string.Join("\n", offending));
    }

    [Fact]
    public void EveryTestProject_IsInTheSolution_AndSoRunsInCi()
    {
        var sln = File.ReadAllText(Path.Combine(ProjectFiles.Root, "PerfSim.sln"));
        foreach (var p in ProjectFiles.Under("tests").Concat(ProjectFiles.Under("src")))
            Assert.True(sln.Contains(p.Name + ".csproj", StringComparison.Ordinal), $"{p.Name} is not in PerfSim.sln");
    }

    static string StripComment(string line) => line.Contains("//") ? line[..line.IndexOf("//", StringComparison.Ordinal)] : line;

    [GeneratedRegex(@"\b(File|Directory|Console|StreamReader|StreamWriter|FileStream|FileInfo|DirectoryInfo|Environment\.GetEnvironmentVariable)\b\s*[.(]")]
    private static partial Regex IoCall();
}
