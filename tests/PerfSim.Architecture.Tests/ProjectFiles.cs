using System.Xml.Linq;

namespace PerfSim.Architecture.Tests;

/// <summary>The repository's project files, read as XML: what each references.</summary>
public static class ProjectFiles
{
    public static string Root { get; } = FindRoot();

    public sealed record Project(string Name, string Path, IReadOnlyList<string> Projects, IReadOnlyList<string> Packages);

    public static IReadOnlyList<Project> Under(string folder) =>
        Directory.GetFiles(System.IO.Path.Combine(Root, folder), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{System.IO.Path.DirectorySeparatorChar}obj{System.IO.Path.DirectorySeparatorChar}"))
            .Select(Read).OrderBy(p => p.Name, StringComparer.Ordinal).ToArray();

    static Project Read(string path)
    {
        var x = XDocument.Load(path);
        var projects = x.Descendants("ProjectReference").Select(e => System.IO.Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/'))).ToArray();
        var packages = x.Descendants("PackageReference").Select(e => e.Attribute("Include")!.Value).ToArray();
        return new Project(System.IO.Path.GetFileNameWithoutExtension(path), path, projects, packages);
    }

    static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(System.IO.Path.Combine(d.FullName, "PerfSim.sln"))) return d.FullName;
        throw new InvalidOperationException("PerfSim.sln not found above the test's folder");
    }
}
