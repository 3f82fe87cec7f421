using System.Globalization;
using Xunit.Abstractions;

namespace PerfSim.Fuzz.Tests;

/// <summary>
/// The seeded mutation loop over every format. In CI a short slice (PERFSIM_FUZZ_INPUTS unset: 1,800 inputs, a few
/// seconds); the long run is the same test with more inputs (docs/fuzzing.md):
/// `PERFSIM_FUZZ_INPUTS=100000 PERFSIM_FUZZ_OUT=/tmp/fuzz dotnet test tests/PerfSim.Fuzz.Tests -c Release --filter MutationFuzz`.
/// </summary>
public class MutationFuzzTests(ITestOutputHelper output)
{
    static int Env(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;

    [Fact]
    public void MutationFuzz_EveryFormat_NoCrashNoMultiLineErrorNoNonFiniteFigure()
    {
        int inputs = Env("PERFSIM_FUZZ_INPUTS", 1_800);
        int seed = Env("PERFSIM_FUZZ_SEED", 15);
        var report = FuzzRunner.Run(inputs, seed, Environment.GetEnvironmentVariable("PERFSIM_FUZZ_OUT"));
        output.WriteLine(report.Summary());
        if (Environment.GetEnvironmentVariable("PERFSIM_FUZZ_OUT") is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "report.txt"), report.Summary());
        }

        Assert.Equal(inputs, report.Inputs);
        Assert.True(report.Failed == 0, report.Summary());
        Assert.Equal(0, report.BigAllocations);
        // The loop must reach past the readers: some inputs of every format are accepted, some refused.
        foreach (var (target, c) in report.ByTarget)
        {
            Assert.True(c[0] > 0, $"{target}: no input was accepted");
            Assert.True(c[1] > 0, $"{target}: no input was refused");
        }
    }
}
