using System.Diagnostics;

namespace PerfSim.Kernels.Tests;

/// <summary>
/// Every kernel path runs on this host: in process (the widest paths) and in child processes of this test assembly
/// started with the runtime's ISA knobs off. .NET 10 folds AVX-512F/BW/CD/DQ/VL into one knob, DOTNET_EnableAVX512
/// (DOTNET_EnableAVX512F=0 alone no longer disables anything), so both are set.
/// </summary>
public class PathLegTests
{
    [Fact]
    public void InProcess_EveryPathMatchesOracle()
    {
        var o = PathEquivalence.Run(guardPages: false);
        Assert.True(o.Failures.Count == 0, string.Join("\n", o.Failures));
        Assert.True(o.Checks > 100);
    }

    [Fact]
    public void GuardPages_NoKernelReadsOrWritesPastABuffer()
    {
        if (!OperatingSystem.IsLinux()) return;   // guard pages use mmap/mprotect; elsewhere the plain run above covers the paths
        // A read past the end of any weight, activation, x or y buffer hits a PROT_NONE page and kills the process.
        var o = PathEquivalence.Run(guardPages: true);
        Assert.True(o.Failures.Count == 0, string.Join("\n", o.Failures));
    }

    public static TheoryData<string, string, KernelPath, bool> Legs => new()
    {
        { "avx2", "DOTNET_EnableAVX512=0 DOTNET_EnableAVX512F=0", KernelPath.Avx2, true },
        { "avx2-no-vnni", "DOTNET_EnableAVX512=0 DOTNET_EnableAVX512F=0 DOTNET_EnableAVXVNNI=0", KernelPath.Avx2, false },
        { "sse", "DOTNET_EnableAVX2=0", KernelPath.Vector128, false },
        { "scalar", "DOTNET_EnableHWIntrinsic=0", KernelPath.Scalar, false },
    };

    [Theory]
    [MemberData(nameof(Legs))]
    public async Task ChildProcess_WithIsaDisabled_EveryPathMatchesOracle(string leg, string env, KernelPath expectedBest, bool vnni)
    {
        // A leg can only narrow what the host has: on a host without AVX2 the "avx2" leg runs its best path.
        KernelPath best = (KernelPath)Math.Min((int)expectedBest, (int)KernelPaths.Best);
        bool expectVnni = vnni && System.Runtime.Intrinsics.X86.AvxVnni.IsSupported;
        string dll = typeof(PathEquivalence).Assembly.Location;
        string host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var psi = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--path-check");
        foreach (var kv in env.Split(' '))
            psi.Environment[kv.Split('=')[0]] = kv.Split('=')[1];
        using var child = Process.Start(psi)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try { await child.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { child.Kill(); Assert.Fail($"leg {leg}: child did not finish in 120 s"); }
        string output = await stdout, errors = await stderr;
        Assert.True(child.ExitCode == 0, $"leg {leg} exit {child.ExitCode}:\n{output}\n{errors}");
        Assert.Contains($"best={best} ", output);
        Assert.Contains($"vnni={expectVnni} ", output);
        Assert.Contains("failures=0", output);
    }
}
