using PerfSim.Kernels;
using PerfSim.Kernels.Formats;
using PerfSim.Microbench;

namespace PerfSim.Kernels.Tests;

/// <summary>Microbench plumbing on tiny sizes: results are well-formed. No timing assertions.</summary>
public class MicrobenchSmokeTests
{
    [Fact]
    public void HostInfo_DescribesHost()
    {
        HostInfo h = HostInfo.Detect();
        Assert.False(string.IsNullOrWhiteSpace(h.CpuModel));
        Assert.True(h.LogicalCores >= 1);
        Assert.True(h.LastLevelCacheBytes > 0);
        Assert.Contains(h.BestKernelPath, Enum.GetNames<KernelPath>());
    }

    [Fact]
    public void UnusedCpuFeatures_NamesWhatTheCpuHasAndTheBuildCannotUse()
    {
        var cpu = new HashSet<string> { "sse4_2", "avx2", "fma", "avx512bw" };
        Assert.Equal(["AVX2", "FMA", "AVX-512BW"], HostInfo.UnusedCpuFeaturesOf(cpu, ["SSE4.2"]));
        Assert.Empty(HostInfo.UnusedCpuFeaturesOf(cpu, ["SSE4.2", "AVX2", "FMA", "AVX-512BW"]));
    }

    [Fact]
    public void PhysicalCores_CountsSmtSiblingsOnce()
    {
        string[] smt = ["processor : 0", "physical id : 0", "core id : 0", "processor : 1", "physical id : 0", "core id : 0",
                        "processor : 2", "physical id : 0", "core id : 1", "processor : 3", "physical id : 1", "core id : 0"];
        Assert.Equal(3, HostInfo.CountPhysicalCores(smt));
        Assert.Equal(0, HostInfo.CountPhysicalCores(["processor : 0", "model name : x"]));
        Assert.Equal(2, new HostInfo("x", 4, 0, 0, 1, true, [], "Avx2", "r", "o", PhysicalCores: 2).Cores);
        Assert.Equal(4, new HostInfo("x", 4, 0, 0, 1, true, [], "Avx2", "r", "o").Cores);
    }

    [Fact]
    public void ThisTestRun_UsesEveryVectorFeatureTheCpuReports()
    {
        // The JIT enables what the CPU has; were this to fail, calibrate would measure a slow path and call it the host.
        HostInfo h = HostInfo.Detect();
        Assert.NotNull(h.UnusedCpuFeatures);
        Assert.Empty(h.UnusedCpuFeatures);
    }

    [Fact]
    public void MemoryLadder_ReturnsPointsPerSizeAndThreadCount()
    {
        MemoryLadderResult r = MemoryLadder.Run(1 << 20, threads: 2, sizes: new long[] { 16 << 10, 64 << 10 }, samples: 1);
        Assert.Equal(4, r.Points.Count);
        Assert.All(r.Points, p => Assert.True(p.ReadGBps > 0 && p.WriteGBps > 0 && p.CopyGBps > 0));
        Assert.Equal(64 << 10, r.Points.MaxBy(p => p.WorkingSetBytes)!.WorkingSetBytes);
    }

    [Fact]
    public void KernelThroughput_ReportsConsistentUnits()
    {
        KernelMeasurement m = KernelThroughput.Measure(QuantFormat.Q4_0, KernelPath.Auto, 64, 256, 1, 1, samples: 1, minSampleSeconds: 0);
        Assert.Equal(64L * 256 / 32 * 18, m.WeightBytes);
        double seconds = m.Milliseconds / 1e3;
        Assert.Equal(m.WeightBytes / seconds / 1e9, m.EffectiveWeightGBps, 6);
        Assert.Equal(2.0 * 64 * 256 / seconds / 1e9, m.Gflops, 6);
    }

    [Theory]
    [InlineData(QuantFormat.Q4_0)]
    [InlineData(QuantFormat.Q8_0)]
    [InlineData(QuantFormat.F16)]
    public void SyntheticDecoder_RunsTinyModel(QuantFormat format)
    {
        var cfg = new DecoderConfig(Hidden: 256, Heads: 4, KvHeads: 2, Ffn: 512, Layers: 2, Format: format, ContextLength: 8, DecodeSteps: 2, Threads: 2);
        DecoderResult r = SyntheticDecoder.Run(cfg);
        Assert.True(r.TokensPerSecond > 0 && double.IsFinite(r.TokensPerSecond));
        Assert.Equal(8 + 1 + 2, r.ContextLengthAtEnd); // prompt + warm-up step + measured steps
        long expectWeights = 2 * QuantFormatTraits.Of(format).RowBytes(256) * (256 + 128 + 128 + 256 + 512 + 512) + 2 * QuantFormatTraits.Of(format).RowBytes(512) * 256;
        Assert.Equal(expectWeights, r.WeightBytesPerToken);
    }

    [Fact]
    public void SyntheticDecoder_Rounds_ProbeBeforeAndAfterEach_AndReportTheMedianProbe()
    {
        var cfg = new DecoderConfig(Hidden: 256, Heads: 4, KvHeads: 2, Ffn: 512, Layers: 2, Format: QuantFormat.Q4_0, ContextLength: 8, DecodeSteps: 2, Threads: 2, Rounds: 3);
        // Probes 10, 20, 30, 90 GB/s (all threads): the rounds sit beside 15, 25 and 60, whose median is 25.
        double[] all = [10, 20, 30, 90];
        int calls = 0;
        DecoderResult r = SyntheticDecoder.Run(cfg, () => { double a = all[calls++]; return (a / 2, a); });
        Assert.Equal(4, calls);
        Assert.Equal(25, r.BesideReadGBpsAllThreads, 12);
        Assert.Equal(12.5, r.BesideReadGBpsOneThread, 12);
        Assert.True(r.HasBesideRead);
        Assert.Equal(8 + 1 + 3 * 2, r.ContextLengthAtEnd);   // prompt + warm-up + every round's steps
        Assert.True(r.BestMillisecondsPerToken <= r.MillisecondsPerToken);
        Assert.False(SyntheticDecoder.Run(cfg with { Rounds = 1 }).HasBesideRead);   // no probe given: none reported
    }

    [Fact]
    public void SyntheticDecoder_StepKeepsHiddenStateFinite()
    {
        var cfg = new DecoderConfig(Hidden: 128, Heads: 4, KvHeads: 2, Ffn: 256, Layers: 1, Format: QuantFormat.Q8_0, ContextLength: 4, DecodeSteps: 1, Threads: 1);
        using var d = new SyntheticDecoder(cfg);
        var x = new float[128];
        for (int i = 0; i < x.Length; i++) x[i] = (i % 5 - 2) * 0.1f;
        d.Step(x);
        Assert.All(x, v => Assert.True(float.IsFinite(v)));
    }
}
