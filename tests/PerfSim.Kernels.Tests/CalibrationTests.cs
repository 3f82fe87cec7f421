using PerfSim.Data.Hardware;
using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;
using PerfSim.Data.Profiles;
using PerfSim.Core.Workloads;
using PerfSim.Kernels.Formats;
using PerfSim.Microbench;
using PerfSim.Microbench.Calibration;

namespace PerfSim.Kernels.Tests;

/// <summary>Calibration from a hand-built measurement (no timing): the written profile, and the check's arithmetic.</summary>
public class CalibrationTests
{
    const long KiB = 1024, MiB = 1024 * 1024;

    static MemoryLadderPoint P(long ws, int threads, double read) => new(ws, threads, read, read, read);

    static HostMeasurement Measurement(CallCosts? calls = null)
    {
        var host = new HostInfo("Test CPU 9000", 2, 32 * KiB, 1 * MiB, 32 * MiB, false, ["AVX2", "FMA"], "Avx2", ".NET test", "test OS");
        var ladder = new MemoryLadderResult(
        [
            P(16 * KiB, 1, 130), P(256 * MiB, 1, 22),
            // All threads: L1, L2, L3 and DRAM plateaus — with an L2 point slower than L3, to exercise the clamp.
            P(16 * KiB, 2, 250), P(64 * KiB, 2, 240), P(512 * KiB, 2, 150), P(2 * MiB, 2, 160), P(8 * MiB, 2, 180),
            P(16 * MiB, 2, 170), P(64 * MiB, 2, 40), P(256 * MiB, 2, 27),
        ], 32 * MiB);
        var compute = new ComputePeakResult(110, 220, 480, 900, 2, "vfmadd231ps", "vpmaddubsw");
        KernelMeasurement K(string f, int n, double ms, double bytesPerWeight) =>
            new(f, "Avx2", 4096, 14336, n, 2, ms, 4096.0 * 14336 * bytesPerWeight / (ms * 1e-3) / 1e9, 2.0 * 4096 * 14336 * n / (ms * 1e-3) / 1e9,
                4096.0 * 14336 / (ms * 1e-3), (long)(4096.0 * 14336 * bytesPerWeight));
        var kernels = new[] { K("q4_0", 1, 1.7, 18.0 / 32), K("q8_0", 1, 2.4, 34.0 / 32), K("q4_0", 64, 40, 18.0 / 32) };
        var hot = new[]
        {
            new HotUnpackThroughput("q4_0", "Avx2", 24e9, 44e9, 2, 1 * MiB),
            new HotUnpackThroughput("q8_0", "Avx2", 22e9, 37e9, 2, 1 * MiB),
            new HotUnpackThroughput("f16", "Avx2", 12e9, 20e9, 2, 1 * MiB),
        };
        var decoder = new DecoderResult(new DecoderConfig(Layers: 4, Format: QuantFormat.Q4_0, DecodeSteps: 6, Threads: 2), "q4_0",
            25, 40, 491_000_000, 17_000_000, 518, 12.7, 5.5, 38, 33);
        return new HostMeasurement(host, ladder, compute, kernels, hot, [decoder], 20, calls);
    }

    static HardwareProfile Load(string yaml)
    {
        var docs = new YamlDocumentSet();
        return HardwareLoader.Load(docs.ParseText(yaml, "host.yaml"), docs);
    }

    static readonly Dictionary<string, QuantScheme> Quants = new()
    {
        ["q4_0"] = new("q4_0", "q4_0", "t", DataType.Int4, 4.5, 32, DataType.Fp16, DataType.Fp16, "fp16", null, null, [], ""),
        ["q8_0"] = new("q8_0", "q8_0", "t", DataType.Int8, 8.5, 32, DataType.Fp16, DataType.Fp16, "fp16", null, null, [], ""),
        ["fp16"] = new("fp16", "fp16", "t", DataType.Fp16, 16, null, DataType.Fp16, DataType.Fp16, "fp16", null, null, [], ""),
    };

    [Fact]
    public void ToYaml_LoadsWithTheStrictLoader_WithMeasuredFigures()
    {
        var profile = Load(HostProfileBuilder.ToYaml(Measurement(), "host", new DateTime(2026, 11, 21)));

        Assert.Equal("host", profile.Id);
        Assert.Equal(DeviceKind.Cpu, profile.Kind);
        var cpu = profile.DefaultEngine;
        Assert.Equal(220e9, cpu.DensePeak[DataType.Fp32].Value.Value, 1);
        Assert.Equal(900e9, cpu.DensePeak[DataType.Int8].Value.Value, 1);
        Assert.Equal(Basis.Measured, cpu.Efficiency.MemoryBandwidth.Basis);
        // Unpack ceilings in weight bytes/s: weights/s × bytes per weight.
        Assert.Equal(44e9 * 18 / 32, cpu.GemvKernelRate["q4_0"].Value.Value, 44e9 * 1e-6);
        Assert.Equal(20e9 * 2, cpu.GemvKernelRate["fp16"].Value.Value, 40e9 * 1e-6);
        Assert.Equal(2.0 * 4096 * 14336 * 64 / 40e-3, cpu.GemmKernelRate!["q4_0"].Value.Value, 188e9 * 1e-6);
        Assert.Equal("dram", profile.DeviceMemory.Id);
        Assert.Equal(27e9, profile.DeviceMemory.Bandwidth.Value.Value, 1);
        // Power is not measurable from inside a VM: it must be labelled as an assumption.
        Assert.StartsWith("Assumed", profile.SourceText(profile.Power.Tdp.Source));
    }

    [Fact]
    public void DramResidentGemv_ScalesTheProfilesDramRate_AndSlowsOnlyDramStreaming()
    {
        DramGemvMeasurement D(string f, double gbps) => new(f, "Avx2", 17, 561_000_000, gbps, 30, 2);
        var plain = Measurement();
        var m = plain with { DramGemv = [D("q4_0", 27), D("q8_0", 24), D("f16", 28.5)] };
        Assert.Equal(0.9, m.GemvShareOfDramRead!.Value, 12);   // the median of 0.90, 0.80, 0.95

        var before = Load(HostProfileBuilder.ToYaml(plain, "host", new DateTime(2026, 12, 7)));
        var after = Load(HostProfileBuilder.ToYaml(m, "host", new DateTime(2026, 12, 7)));
        Assert.Equal(27e9, before.DeviceMemory.Bandwidth.Value.Value, 1);
        Assert.Equal(27e9 * 0.9, after.DeviceMemory.Bandwidth.Value.Value, 1);
        Assert.Equal(before.Memory[^2].Bandwidth.Value.Value, after.Memory[^2].Bandwidth.Value.Value);   // L3 as the ladder measured it

        // A DRAM-bound q8_0 GEMV (499 MB) takes 1/0.9 as long for the bytes it streams from DRAM: the share the L3
        // still holds from the last call (6 % of it) and the activations, read from cache, are not scaled. An
        // L3-resident one takes no longer; the share never exceeds 1.
        const int rows = 8 * 4096;
        double weightBytes = (double)rows * 14336 * 34 / 32, act = (rows + 14336.0) * 4;
        double h = MemoryPlacement.Decide(before, new(weightBytes), new(weightBytes + act), new(act), 0.9, cyclicCacheReuse: true).CachedShare;
        Assert.InRange(h, 0.04, 0.08);
        var t0 = KernelModel.Matmul(Deployment.Standalone(before, threads: 2), Quants["q8_0"], rows, 14336, 1).Point.Time.Value;
        var t1 = KernelModel.Matmul(Deployment.Standalone(after, threads: 2), Quants["q8_0"], rows, 14336, 1).Point.Time.Value;
        Assert.Equal(weightBytes * (1 - h) * (1 / (27e9 * 0.9) - 1 / 27e9), t1 - t0, t0 * 1e-4);
        var l3Before = KernelModel.Matmul(Deployment.Standalone(before, threads: 2), Quants["q8_0"], 4096, 4096, 1).Point.Time.Value;
        var l3After = KernelModel.Matmul(Deployment.Standalone(after, threads: 2), Quants["q8_0"], 4096, 4096, 1).Point.Time.Value;
        Assert.Equal(l3Before, l3After);
        Assert.Equal(1, (plain with { DramGemv = [D("q4_0", 33)] }).GemvShareOfDramRead);
        Assert.Null(plain.GemvShareOfDramRead);
    }

    [Fact]
    public void Levels_AreInnermostFirst_AndNeverFasterOutwards()
    {
        var levels = HostProfileBuilder.Levels(Measurement());
        Assert.Equal(["l1", "l2", "l3", "dram"], levels.Select(l => l.Id).ToArray());
        for (int i = 1; i < levels.Count; i++)
        {
            Assert.True(levels[i].CapacityBytes > levels[i - 1].CapacityBytes);
            Assert.True(levels[i].ReadGBps <= levels[i - 1].ReadGBps);
        }
        Assert.Equal(180, levels[1].ReadGBps);   // the L2 plateau (160) is lifted to the L3 rate outside it
    }

    [Fact]
    public void OneThreadLadderPoints_GiveEachCacheItsPerCoreRate_SoAOneCoreL3GemvStreamsAtIt()
    {
        var plain = Measurement();
        // One thread draws 15 GB/s from L3 where two draw 180 (the ladder's 8 MiB points).
        var m = plain with { Memory = plain.Memory with { Points = [.. plain.Memory.Points, P(8 * MiB, 1, 15)] } };
        var l3 = HostProfileBuilder.Levels(m).Single(l => l.Id == "l3");
        Assert.Equal(15, l3.OneCoreGBps);
        Assert.Null(HostProfileBuilder.Levels(plain).Single(l => l.Id == "l3").OneCoreGBps);   // no one-thread point in its window
        var profile = Load(HostProfileBuilder.ToYaml(m, "host", new DateTime(2026, 12, 8)));
        Assert.Equal(15e9, profile.Memory.Single(l => l.Id == "l3").CoreBandwidth!.Value.Value.Value, 1);

        // A q8_0 GEMV whose 17.8 MB fit the L3: on one thread it can stream no faster than that core's 15 GB/s, below
        // its unpack ceiling, so it is memory-bound there; without the figure one thread would get the whole level.
        var one = KernelModel.Matmul(Deployment.Standalone(profile, threads: 1), Quants["q8_0"], 4096, 4096, 1);
        Assert.Equal("l3", one.ServedFrom);
        Assert.Equal(Bound.Memory, one.Point.Bound);
        double weightBytes = 4096.0 * 4096 * 34 / 32;
        Assert.True(one.Point.Time.Value >= weightBytes / 15e9, $"{one.Point.Time.Value:E3} s beats one core's L3 rate");
        var unscaled = profile with { Memory = [.. profile.Memory.Select(l => l with { CoreBandwidth = null })] };
        var oneUnscaled = KernelModel.Matmul(Deployment.Standalone(unscaled, threads: 1), Quants["q8_0"], 4096, 4096, 1);
        Assert.True(oneUnscaled.Point.Time.Value < weightBytes / 15e9);
        // Two threads draw min(2 × 15, 180) GB/s: faster than one, never faster than two cores' rate.
        double two = KernelModel.Matmul(Deployment.Standalone(profile, threads: 2), Quants["q8_0"], 4096, 4096, 1).Point.Time.Value;
        Assert.True(two < one.Point.Time.Value && two >= weightBytes / 30e9, $"two threads {two:E3} s");
    }

    [Fact]
    public void OneThreadRate_NeverAboveTheLevels()
    {
        var plain = Measurement();
        var m = plain with { Memory = plain.Memory with { Points = [.. plain.Memory.Points, P(8 * MiB, 1, 500)] } };
        var l3 = HostProfileBuilder.Levels(m).Single(l => l.Id == "l3");
        Assert.Equal(l3.ReadGBps, l3.OneCoreGBps);
    }

    [Fact]
    public void CalibratedModel_SaysA4BitGemvOnOneCoreIsUnpackBound_NotDramBound()
    {
        var profile = Load(HostProfileBuilder.ToYaml(Measurement(), "host", new DateTime(2026, 11, 21)));
        var oneCore = KernelModel.Matmul(Deployment.Standalone(profile, threads: 1), Quants["q4_0"], 4096, 14336, 1);
        var q8 = KernelModel.Matmul(Deployment.Standalone(profile, threads: 2), Quants["q8_0"], 8 * 4096, 14336, 1);   // 499 MB: 6 % in L3

        Assert.Equal(Bound.Kernel, oneCore.Point.Bound);
        Assert.StartsWith("dram+l3", oneCore.ServedFrom);   // 33 MB against a 32 MiB L3: most of it is still there from the last call
        // 58.7 M weights at half of the 44 G weights/s two-core unpack rate.
        Assert.Equal(4096.0 * 14336 / 22e9, oneCore.Point.Time.Value, 1e-8);
        Assert.Equal(Bound.Memory, q8.Point.Bound);
    }

    [Fact]
    public void Check_MarksCalibrationInputs_AndPredictsHeldOutRows()
    {
        var m = Measurement();
        var profile = Load(HostProfileBuilder.ToYaml(m, "host", new DateTime(2026, 11, 21)));
        var r = CalibrationCheck.Run(m, [], profile, id => Quants[id], 2);

        var gemm = r.Kernels.Single(k => k.N == 64);
        Assert.Equal(CheckRole.CalibrationInput, gemm.Role);
        Assert.True(Math.Abs(gemm.Error) < 1e-5);          // its rate is in the profile: circular, and marked so
        Assert.All(r.Kernels.Where(k => k.N == 1), k => Assert.Equal(CheckRole.HeldOut, k.Role));
        Assert.Equal(3, r.HeldOutErrors.Count());           // two GEMVs and the decoder

        var d = Assert.Single(r.Decoders);
        Assert.True(d.PredictedTokensPerSecond > 0);
        Assert.True(d.PredictedMatmulMs > d.PredictedAttentionMs);
        Assert.True(d.PredictedMatmulMs + d.PredictedAttentionMs <= 1e3 / d.PredictedTokensPerSecond + 1e-9);
        Assert.Equal((d.PredictedTokensPerSecond - 25) / 25, d.Error, 12);
    }

    [Fact]
    public void Check_WithMeasuredCallCosts_AddsThemPerCall_AndSlowsTheDecoder()
    {
        // 10 µs per matmul call, attention at 5 GB/s of KV + 20 µs per layer: both from microbenchmarks, never the decoder.
        // They travel in the host profile's kernel_costs, and the engine times them.
        var calls = new CallCosts(10e-6, 2, 5e9, 20e-6, 256, 1024);
        var plain = Measurement();
        var withCalls = Measurement(calls);
        var plainProfile = Load(HostProfileBuilder.ToYaml(plain, "host", new DateTime(2026, 11, 21)));
        var yaml = HostProfileBuilder.ToYaml(withCalls, "host", new DateTime(2026, 11, 21));
        var before = Assert.Single(CalibrationCheck.Run(plain, [], plainProfile, id => Quants[id], 2).Decoders);
        var after = Assert.Single(CalibrationCheck.Run(withCalls, [], Load(yaml), id => Quants[id], 2).Decoders);

        Assert.Equal(0, before.PredictedCallOverheadMs);
        // 4 layers × 7 calls (q, k, v, o, gate, up, down) and the LM head's one call, 10 µs each.
        Assert.Equal((4 * CallCostBench.GemvCallsPerLayer + 1) * 10e-3, after.PredictedCallOverheadMs, 9);
        Assert.Equal(before.PredictedMatmulMs + after.PredictedCallOverheadMs, after.PredictedMatmulMs, 6);
        // Attention at the measured rate is slower than the roofline's, and never faster.
        Assert.True(after.PredictedAttentionMs > before.PredictedAttentionMs);
        var c = new DecoderConfig(Layers: 4, Format: QuantFormat.Q4_0, DecodeSteps: 6, Threads: 2);
        double measuredRateMs = 4 * calls.AttentionSeconds(c, c.ContextLength + c.DecodeSteps / 2.0) * 1e3;
        Assert.InRange(after.PredictedAttentionMs, 0.8 * measuredRateMs, 1.25 * measuredRateMs);
        // The per-token time grows by exactly the added call cost and the slower attention.
        double added = (after.PredictedMatmulMs - before.PredictedMatmulMs) + (after.PredictedAttentionMs - before.PredictedAttentionMs);
        Assert.Equal(1e3 / before.PredictedTokensPerSecond + added, 1e3 / after.PredictedTokensPerSecond, 6);
        Assert.Contains("matmul_call: { value: 10 us", yaml);
        Assert.DoesNotContain("kernel_costs", HostProfileBuilder.ToYaml(plain, "host", new DateTime(2026, 11, 21)));
    }

    [Fact]
    public void HostProfile_WithAnAttentionCostMeasuredAsZero_LeavesItOut_AndLoads()
    {
        var yaml = HostProfileBuilder.ToYaml(Measurement(new CallCosts(10e-6, 2, 5e9, 0, 256, 1024)), "host", new DateTime(2026, 11, 21));
        Assert.DoesNotContain("attention_call", yaml);
        var costs = Load(yaml).DefaultEngine.KernelCosts;
        Assert.NotNull(costs);
        Assert.Equal(0, costs!.AttentionCall.Value.Value);
        Assert.Equal(10e-6, costs.MatmulCall.Value.Value, 12);
    }

    [Fact]
    public void Check_PredictsTheDecoder_WithTheDramRateProbedBesideIt_AndKeepsTheProfileFigure()
    {
        var m = Measurement();
        var profile = Load(HostProfileBuilder.ToYaml(m, "host", new DateTime(2026, 11, 21)));
        var plain = Assert.Single(CalibrationCheck.Run(m, [], profile, id => Quants[id], 2).Decoders);
        Assert.Null(plain.BesideReadGBps);
        Assert.Equal(plain.ProfilePredictedTokensPerSecond, plain.PredictedTokensPerSecond);

        // The DRAM rate halved between the ladder (27 GB/s) and the decoder: the same-minute prediction follows it.
        var slow = m with { Decoder = [m.Decoder[0] with { BesideReadGBpsAllThreads = 13.5, BesideReadGBpsOneThread = 11 }] };
        var d = Assert.Single(CalibrationCheck.Run(slow, [], profile, id => Quants[id], 2).Decoders);
        Assert.Equal(13.5, d.BesideReadGBps);
        Assert.Equal(plain.PredictedTokensPerSecond, d.ProfilePredictedTokensPerSecond, 9);
        Assert.True(d.PredictedTokensPerSecond < 0.7 * d.ProfilePredictedTokensPerSecond);
        Assert.Equal((d.PredictedTokensPerSecond - 25) / 25, d.Error, 12);
    }

    [Fact]
    public void Check_ComparesEachRoundWithItsOwnProbe_AndReportsTheRoundOfMedianError()
    {
        var m = Measurement();
        var profile = Load(HostProfileBuilder.ToYaml(m, "host", new DateTime(2026, 12, 8)));
        // Three rounds: the DRAM rate fell during the run and the decoder with it, so each round matches its own probe.
        DecoderRound[] rounds = [new(25, 33, 5.5, 1, 11, 27), new(18, 45, 5.5, 1, 8, 18), new(12, 68, 5.5, 1, 6, 11)];
        DecoderCheck One(DecoderRound r) => Assert.Single(CalibrationCheck.Run(m with { Decoder = [m.Decoder[0] with { Rounds = [r] }] },
            [], profile, id => Quants[id], 2).Decoders);
        var alone = rounds.Select(One).OrderBy(d => d.Error).ToArray();
        var all = Assert.Single(CalibrationCheck.Run(m with { Decoder = [m.Decoder[0] with { Rounds = rounds }] }, [], profile, id => Quants[id], 2).Decoders);
        Assert.Equal(alone[1].Error, all.Error, 12);
        Assert.Equal(alone[1].MeasuredTokensPerSecond, all.MeasuredTokensPerSecond);
        Assert.Equal(alone[1].BesideReadGBps, all.BesideReadGBps);
        // Each round is predicted at its own probe: the slowest minute gets the slowest prediction.
        Assert.True(alone.Single(d => d.BesideReadGBps == 11).PredictedTokensPerSecond < alone.Single(d => d.BesideReadGBps == 27).PredictedTokensPerSecond);
    }

    [Fact]
    public void WithDramRead_SetsDramAndCoreBandwidth_NeverAboveTheLevelInside()
    {
        var profile = Load(HostProfileBuilder.ToYaml(Measurement(), "host", new DateTime(2026, 11, 21)));
        var slower = CalibrationCheck.WithDramRead(profile, 20, 15);
        Assert.Equal(20e9, slower.DeviceMemory.Bandwidth.Value.Value, 3);
        Assert.Equal(15e9, slower.DefaultEngine.CoreBandwidth!.Value.Value.Value, 3);
        Assert.Equal(profile.Memory[^2], slower.Memory[^2]);

        var absurd = CalibrationCheck.WithDramRead(profile, 1e6, 1e6);
        Assert.Equal(profile.Memory[^2].Bandwidth.Value.Value, absurd.DeviceMemory.Bandwidth.Value.Value, 3);
        Assert.True(absurd.DefaultEngine.CoreBandwidth!.Value.Value.Value <= absurd.DeviceMemory.Bandwidth.Value.Value);
    }
}
