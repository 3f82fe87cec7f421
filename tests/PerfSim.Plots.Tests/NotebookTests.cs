using System.Diagnostics;
using System.Text.Json.Nodes;

namespace PerfSim.Plots.Tests;

/// <summary>
/// Every notebook in notebooks/ runs headless with dotnet-repl (the repository's local tool) and no cell fails.
/// The notebook's `#r` to bin/Release is pointed at the PerfSim.Plots.dll this test was built with, so the test runs in
/// any configuration; it runs from notebooks/ as a person would, and writes its output to a temporary folder.
/// </summary>
public class NotebookTests
{
    static readonly string NotebookDir = Path.Combine(TestRepo.Root, "notebooks");
    const string ReleaseReference = "../src/PerfSim.Plots/bin/Release/net10.0/PerfSim.Plots.dll";
    static readonly Lazy<string> restore = new(RestoreTools);

    public static TheoryData<string> Notebooks => new(Directory.EnumerateFiles(Path.Combine(TestRepo.Root, "notebooks"), "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Fact]
    public void There_is_a_notebook_for_each_study()
    {
        var names = Directory.EnumerateFiles(NotebookDir, "*.ipynb").Select(Path.GetFileNameWithoutExtension).ToHashSet();
        foreach (var n in new[] { "roofline-tour", "quantization-whatifs", "procurement-study", "serving-study", "host-calibration", "training-estimate" })
            Assert.Contains(n, names);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_runs_without_a_cell_error(string name)
    {
        Assert.Equal("", restore.Value);
        var source = File.ReadAllText(Path.Combine(NotebookDir, name));
        Assert.Contains(ReleaseReference, source);
        var dll = typeof(Model.Chart).Assembly.Location.Replace('\\', '/');
        var temp = Path.Combine(Path.GetTempPath(), "perfsim-nb-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temp);
        try
        {
            var input = Path.Combine(temp, name);
            var output = Path.Combine(temp, "out-" + name);
            File.WriteAllText(input, source.Replace(ReleaseReference, dll));
            var (code, log) = Run(NotebookDir, TimeSpan.FromMinutes(4), "tool", "run", "dotnet-repl", "--run", input, "--exit-after-run", "--output-path", output);
            Assert.True(File.Exists(output), $"dotnet-repl wrote no output (exit {code}): {Tail(log)}");
            var cells = JsonNode.Parse(File.ReadAllText(output))!["cells"]!.AsArray();
            var errors = cells.SelectMany(c => c!["outputs"]?.AsArray() ?? [])
                .Where(o => (string?)o!["output_type"] == "error").Select(o => (string?)o!["evalue"]).ToList();
            Assert.True(errors.Count == 0, $"{name}: cell error: {string.Join(" | ", errors)}");
            Assert.Equal(0, code);
            // Every code cell ran (a run that stops early leaves later cells without outputs).
            Assert.All(cells.Where(c => (string?)c!["cell_type"] == "code"), c => Assert.NotEmpty(c!["outputs"]!.AsArray()));
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>`dotnet tool restore` once per test run: "" when it worked, else its output.</summary>
    static string RestoreTools()
    {
        var (code, log) = Run(TestRepo.Root, TimeSpan.FromMinutes(3), "tool", "restore");
        return code == 0 ? "" : $"dotnet tool restore failed ({code}): {Tail(log)}";
    }

    static (int Code, string Log) Run(string cwd, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeout}");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    static string Tail(string s) => s.Length > 1500 ? s[^1500..] : s;
}
