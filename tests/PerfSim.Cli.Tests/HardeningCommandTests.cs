using System.Diagnostics;
using PerfSim.Cli;

namespace PerfSim.Cli.Tests;

/// <summary>
/// Issue 15's bad inputs through the command line: each gives exactly one line on stderr, naming the file or option,
/// and its documented exit code (2 usage, 3 invalid input file), never a stack trace, a hang or exit 0 with a wrong number.
/// </summary>
public class HardeningCommandTests
{
    static string Corpus(string file) => Path.Combine(CliRunner.Root, "tests", "PerfSim.Fuzz.Tests", "Corpus", file);

    static void OneLine(ExitCode expected, (ExitCode Code, string Out, string Err) r, string fragment)
    {
        Assert.True(r.Code == expected, $"exit {r.Code}: {r.Err}");
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("perfsim: ", lines[0]);
        Assert.Contains(fragment, lines[0]);
        Assert.DoesNotContain(" at ", lines[0]);
    }

    public static IEnumerable<object[]> Cases =>
    [
        [new[] { "predict", "-m", Corpus("config-json/overflow-heads.json") }, ExitCode.InvalidInput, "heads × head_dim = 65536 × 65536"],
        [new[] { "predict", "-m", Corpus("config-json/lone-surrogate.json") }, ExitCode.InvalidInput, "lone surrogate"],
        [new[] { "predict", "-m", Corpus("gguf/no-layer-tensors.gguf") }, ExitCode.InvalidInput, "no-layer-tensors.gguf"],
        [new[] { "predict", "-H", Corpus("yaml-hardware/denormal-bandwidth.yaml") }, ExitCode.InvalidInput, "denormal-bandwidth.yaml:40: field 'memory[0].bandwidth.value'"],
        [new[] { "predict", "--prompt", "2147483647" }, ExitCode.Usage, "--prompt"],
        [new[] { "predict", "--batch", "2147483647", "--scenario", "chat" }, ExitCode.Usage, "--batch"],
        [new[] { "predict", "--pue", "NaN" }, ExitCode.Usage, "--pue"],
        [new[] { "predict", "--devices", "1073741824" }, ExitCode.Usage, "--devices"],
        [new[] { "serve", "--rate", "1", "-o", "lognormal:300:1" }, ExitCode.Usage, "--output-tokens"],
        [new[] { "serve", "--rate", "1", "-o", "256" }, ExitCode.Usage, "not a report file"],
        [new[] { "validate", "--reference", "/dev/zero" }, ExitCode.InvalidInput, "not a regular file"],
        [new[] { "validate", "--reference", Corpus("measurements-csv/header-only.csv") }, ExitCode.InvalidInput, "no measurement rows"],
        [new[] { "validate", "--reference", Corpus("measurements-csv/huge-device-count.csv") }, ExitCode.InvalidInput, "no row could be predicted"],
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadInput_GivesOneLineAndItsExitCode(string[] args, ExitCode code, string fragment) =>
        OneLine(code, CliRunner.Run(args), fragment);

    [Fact]
    public void CrOnlyMeasurementFile_IsValidated()
    {
        var r = CliRunner.Run("validate", "--reference", Corpus("measurements-csv/cr-only.csv"), "-f", "json");
        Assert.True(r.Code == ExitCode.Ok, r.Err);
        Assert.Contains("\"count\": 3", r.Out.Replace("\"count\":3", "\"count\": 3"));
    }

    [Fact]
    public void FifoModelPath_IsRefusedAtOnce()
    {
        if (!OperatingSystem.IsLinux()) return;
        var fifo = Path.Combine(Path.GetTempPath(), $"perfsim-{Guid.NewGuid():N}.json");
        using (var p = Process.Start(new ProcessStartInfo("mkfifo", fifo) { UseShellExecute = false })!) p.WaitForExit();
        try { OneLine(ExitCode.InvalidInput, CliRunner.Run("predict", "-m", fifo), "a FIFO"); }
        finally { File.Delete(fifo); }
    }

    [Fact]
    public void BrokenProfileInTheCatalog_FailsOnlyTheCommandsThatNeedIt()
    {
        var root = Directory.CreateTempSubdirectory("perfsim-broken-catalog-").FullName;
        try
        {
            foreach (var dir in new[] { "hardware-profiles", "workloads" })
                foreach (var f in Directory.EnumerateFiles(Path.Combine(CliRunner.Root, dir), "*.yaml", SearchOption.AllDirectories))
                {
                    var target = Path.Combine(root, Path.GetRelativePath(CliRunner.Root, f));
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(f, target);
                }
            File.WriteAllText(Path.Combine(root, "workloads/kv-cache/broken.yaml"), "id: broken\nname: x\nbits_per_element: 1e308\nsource: x\n");

            var ok = CliRunner.Run("predict", "--data", root);
            Assert.True(ok.Code == ExitCode.Ok, ok.Err);
            var list = CliRunner.Run("list", "kv", "--data", root);
            Assert.True(list.Code == ExitCode.Ok, list.Err);
            Assert.Contains("perfsim: skipped workloads/kv-cache/broken.yaml:3: field 'bits_per_element'", list.Err);
            OneLine(ExitCode.InvalidInput, CliRunner.Run("predict", "--kv-cache", "broken", "--data", root), "workloads/kv-cache/broken.yaml:3");
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
