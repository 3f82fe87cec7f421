using System.Text.Json;
using System.Text.RegularExpressions;

namespace PerfSim.Cli.Tests;

/// <summary>
/// Every command line the README and the docs show (in ```sh blocks) runs: exit code 0, and for `--format json` /
/// `-f json` valid JSON. Paths in them are relative to the repository root, as a user would type them there.
/// </summary>
[Collection(nameof(ReadmeCommandTests))]
public partial class ReadmeCommandTests
{
    static ReadmeCommandTests()
    {
        // calibrate writes its profile to the user's config folder: keep that in a temporary one.
        Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", Path.Combine(Path.GetTempPath(), $"perfsim-readme-{Environment.ProcessId}"));
        GgufFixture.Ensure();
    }

    public static TheoryData<string, string> Commands()
    {
        var data = new TheoryData<string, string>();
        var files = new[] { Path.Combine(CliRunner.Root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(CliRunner.Root, "docs"), "*.md", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal));
        foreach (var f in files)
            foreach (var line in CommandLines(File.ReadAllLines(f)))
                data.Add(Path.GetRelativePath(CliRunner.Root, f), line);
        return data;
    }

    /// <summary>Lines of ```sh / ```bash blocks that invoke perfsim (comments after '#' dropped).</summary>
    public static IEnumerable<string> CommandLines(IEnumerable<string> lines)
    {
        bool inBlock = false;
        foreach (var raw in lines)
        {
            var t = raw.Trim();
            if (t.StartsWith("```", StringComparison.Ordinal)) { inBlock = !inBlock && (t == "```sh" || t == "```bash"); continue; }
            if (!inBlock) continue;
            var cmd = Comment().Replace(t, "").Trim();
            if (cmd.StartsWith("perfsim ", StringComparison.Ordinal) || cmd == "perfsim" || cmd.StartsWith("./perfsim", StringComparison.Ordinal)
                || cmd.StartsWith("dotnet run --project src/PerfSim.Cli", StringComparison.Ordinal))
                yield return cmd;
        }
    }

    /// <summary>The perfsim arguments of a command line: after `perfsim` (or the `./perfsim` launcher, which runs the same
    /// CLI from a ReadyToRun build), or after `--` of `dotnet run`.</summary>
    public static string[] Arguments(string line)
    {
        var words = Split(line);
        if (words[0] is "perfsim" or "./perfsim") return words[1..];
        int dash = Array.IndexOf(words, "--");
        return dash < 0 ? [] : words[(dash + 1)..];
    }

    static string[] Split(string line) =>
        Word().Matches(line).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Success ? m.Groups[2].Value : m.Value).ToArray();

    [Theory]
    [MemberData(nameof(Commands))]
    public void DocumentedCommand_Runs(string file, string line)
    {
        var args = Arguments(line).Select(a => a.Contains('/') && !a.StartsWith('-') && Exists(a) ? Path.Combine(CliRunner.Root, a) : a).ToArray();
        var (code, output, err) = CliRunner.Run(args);
        Assert.True(code == ExitCode.Ok, $"{file}: `{line}` exited {(int)code}: {err}");
        bool toFile = args.Contains("-o") || args.Contains("--output") || args.Contains("--report");
        if (toFile) return;   // the report went to a file (written atomically); standard output has none
        if (Json(args)) JsonDocument.Parse(output).Dispose();
        Assert.False(string.IsNullOrWhiteSpace(output), $"{file}: `{line}` printed nothing");
    }

    [Fact]
    public void Readme_ShowsTheMainJobAndTheTestCommand_OnItsFirstScreen()
    {
        var first = string.Join("\n", File.ReadAllLines(Path.Combine(CliRunner.Root, "README.md")).Take(25));
        Assert.Contains("dotnet run --project src/PerfSim.Cli", first);
        Assert.Contains("dotnet test PerfSim.sln", first);
    }

    static bool Exists(string relative) => File.Exists(Path.Combine(CliRunner.Root, relative)) || Directory.Exists(Path.Combine(CliRunner.Root, relative));

    static bool Json(string[] args)
    {
        for (int i = 0; i + 1 < args.Length; i++)
            if ((args[i] == "--format" || args[i] == "-f") && args[i + 1] == "json") return true;
        return false;
    }

    [GeneratedRegex(@"\s+#.*$")]
    private static partial Regex Comment();

    [GeneratedRegex("\"([^\"]*)\"|'([^']*)'|\\S+")]
    private static partial Regex Word();
}

/// <summary>The GGUF the README's example reads: the test writer's tiny model, with its tensor data (a few kB).</summary>
public static class GgufFixture
{
    public static string RelativePath => "tests/PerfSim.Cli.Tests/Fixtures/tiny-mixed-q4_0.gguf";

    static readonly object Gate = new();

    /// <summary>Writes the fixture if it is missing; it is the test GGUF writer's own output, so it never drifts from it.</summary>
    public static void Ensure()
    {
        var path = Path.Combine(CliRunner.Root, RelativePath);
        lock (Gate)
            if (!File.Exists(path)) File.WriteAllBytes(path, PerfSim.Core.Tests.Importers.GgufWriter.Tiny().Build());
    }
}

public class GgufFixtureTests
{
    [Fact]
    public void CommittedFixture_IsTheWritersOutput()
    {
        GgufFixture.Ensure();
        var expected = PerfSim.Core.Tests.Importers.GgufWriter.Tiny().Build();
        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(CliRunner.Root, GgufFixture.RelativePath)));
    }
}
