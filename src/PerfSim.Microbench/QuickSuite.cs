using System.Diagnostics;
using System.Globalization;
using System.Text;
using PerfSim.Kernels;
using PerfSim.Kernels.Formats;

namespace PerfSim.Microbench;

/// <summary>Knobs for the quick calibration run. Defaults finish in well under a minute on a 2-core host.</summary>
public sealed record QuickSuiteOptions(
    int Threads = 0,
    bool IncludeLmHeadShape = false,
    bool IncludeAllPaths = false,
    int DecoderLayers = 4,
    int DecoderSteps = 6,
    int DecoderContextLength = 512,
    int DecoderRounds = 5,
    int GemmColumns = 64,
    Action<string>? Log = null,
    IProgress<long>? Progress = null);

/// <summary>Everything calibration needs about the host, in one immutable record.</summary>
public sealed record HostMeasurement(
    HostInfo Host,
    MemoryLadderResult Memory,
    ComputePeakResult Compute,
    IReadOnlyList<KernelMeasurement> Kernels,
    IReadOnlyList<HotUnpackThroughput> HotUnpack,
    IReadOnlyList<DecoderResult> Decoder,
    double ElapsedSeconds,
    CallCosts? Calls = null,
    IReadOnlyList<DramGemvMeasurement>? DramGemv = null)
{
    /// <summary>All-thread DRAM read bandwidth (largest working set of the ladder).</summary>
    public double ReadGBpsAllThreads => Memory.DramReadGBpsAllThreads;
    public double ReadGBpsOneThread => Memory.DramReadGBpsOneThread;

    /// <summary>
    /// Median over formats of the DRAM-resident GEMV's share of the read probe beside it (at most 1), or null if not
    /// measured: the profile's memory-bandwidth efficiency.
    /// </summary>
    public double? GemvShareOfDramRead
    {
        get
        {
            var r = (DramGemv ?? []).Select(d => d.ShareOfProbe).Where(v => v > 0).Order().ToArray();
            return r.Length == 0 ? null : Math.Min(1, r.Length % 2 == 1 ? r[r.Length / 2] : (r[r.Length / 2 - 1] + r[r.Length / 2]) / 2);
        }
    }

    /// <summary>Hot-cache unpack+dot rate for a format (q4_0, q8_0, f16), or null if not measured.</summary>
    public HotUnpackThroughput? UnpackFor(string format) => HotUnpack.FirstOrDefault(h => h.Format == format);

    public string ToReport()
    {
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.AppendLine(Host.ToString());
        sb.AppendLine(string.Create(ci, $"Memory (GB/s; copy counts read+write):"));
        sb.AppendLine("  set        thr   read   write   copy");
        foreach (var p in Memory.Points)
            sb.AppendLine(string.Create(ci, $"  {FormatBytes(p.WorkingSetBytes),-9} {p.Threads,4} {p.ReadGBps,7:F1} {p.WriteGBps,7:F1} {p.CopyGBps,6:F1}"));
        sb.AppendLine(string.Create(ci, $"Compute: fp32 FMA {Compute.Fp32FmaGflopsOneCore:F0} GFLOP/s/core, {Compute.Fp32FmaGflopsAllCores:F0} all; int8 {Compute.Int8DotGopsOneCore:F0} GOP/s/core, {Compute.Int8DotGopsAllCores:F0} all ({Compute.Int8Instruction})"));
        sb.AppendLine("Kernels (m×k, n cols, threads): ms, weight GB/s, GFLOP/s");
        foreach (var k in Kernels)
            sb.AppendLine(string.Create(ci, $"  {k.Format,-5} {k.Path,-9} {k.M}x{k.K} n={k.N} t={k.Threads}: {k.Milliseconds,8:F3} ms {k.EffectiveWeightGBps,7:F1} GB/s {k.Gflops,7:F1} GFLOP/s"));
        sb.AppendLine("Hot-cache unpack+dot (weights/s):");
        foreach (var h in HotUnpack)
            sb.AppendLine(string.Create(ci, $"  {h.Format,-5} {h.Path,-9} 1 core {h.WeightsPerSecondOneCore / 1e9:F2} G/s, {h.Threads} cores {h.WeightsPerSecondAllCores / 1e9:F2} G/s"));
        foreach (var d in DramGemv ?? [])
            sb.AppendLine(string.Create(ci, $"DRAM-resident GEMV {d.Format} ({d.Copies} copies, {d.Bytes / 1e6:F0} MB): {d.GBps:F1} GB/s = {d.ShareOfProbe:F2} of the {d.ProbeGBps:F1} GB/s read probe"));
        if (Calls is { } c)
            sb.AppendLine(string.Create(ci, $"Per call: GEMV {c.GemvCallSeconds * 1e6:F1} µs ({c.Threads} threads); attention {c.AttentionKvBytesPerSecond / 1e9:F1} GB/s of KV + {c.AttentionFixedSeconds * 1e6:F1} µs per layer (fit over context {c.AttentionContextLow}–{c.AttentionContextHigh})"));
        foreach (var d in Decoder)
            sb.AppendLine(string.Create(ci, $"Decoder {d.Format} {d.Config.Layers} layers ctx {d.ContextLengthAtEnd}: {d.TokensPerSecond:F2} tok/s mean, {d.BestTokensPerSecond:F2} best ({d.MillisecondsPerToken:F1} ms/token, {d.WeightBytesPerToken / 1e6:F0} MB weights/token, {d.EffectiveGBps:F1} GB/s, attention {d.AttentionMillisecondsPerToken:F1} ms/token)"));
        sb.AppendLine(string.Create(ci, $"Elapsed {ElapsedSeconds:F1} s"));
        return sb.ToString();
    }

    private static string FormatBytes(long b) => b >= 1 << 20 ? $"{b >> 20} MiB" : $"{b >> 10} KiB";
}

public static class QuickSuite
{
    static readonly QuantFormat[] Formats = [QuantFormat.Q4_0, QuantFormat.Q8_0, QuantFormat.F16];

    static List<(int M, int K)> Shapes(QuickSuiteOptions o) => KernelThroughput.ModelShapes.Where(s => o.IncludeLmHeadShape || s.M != 128256).ToList();
    static List<KernelPath> Paths(QuickSuiteOptions o) => o.IncludeAllPaths ? KernelPaths.Supported.Where(p => p != KernelPath.Scalar).ToList() : [KernelPaths.Best];

    /// <summary>
    /// The measurements <see cref="Run"/> reports to its `Progress` (memory ladder, compute peaks, each kernel, each
    /// hot-cache format, per-call costs, each decoder): the total of a front end's progress bar.
    /// </summary>
    public static long Steps(QuickSuiteOptions o)
    {
        var shapes = Shapes(o);
        int gemms = o.GemmColumns > 1 ? shapes.Count(s => s.M == 4096 && s.K == 14336) : 0;
        return 2 + Formats.Length * (shapes.Count * Paths(o).Count + gemms) + Formats.Length + Formats.Length * Paths(o).Count + 1 + Formats.Length;
    }

    public static HostMeasurement Run(QuickSuiteOptions? options = null)
    {
        options ??= new QuickSuiteOptions();
        var log = options.Log ?? (_ => { });
        long done = 0;
        void Step() => options.Progress?.Report(++done);
        int threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
        var total = Stopwatch.StartNew();

        HostInfo host = HostInfo.Detect();
        log(host.ToString());

        log("memory ladder…");
        MemoryLadderResult mem = MemoryLadder.Run(host.LastLevelCacheBytes, threads, samples: 5);
        Step();

        log("compute peaks…");
        ComputePeakResult peak = ComputePeak.Run(threads);
        Step();

        log("kernel throughput…");
        var kernels = new List<KernelMeasurement>();
        var formats = Formats;
        var shapes = Shapes(options);
        var paths = Paths(options);
        foreach (QuantFormat f in formats)
            foreach ((int m, int k) in shapes)
            {
                using var w = QuantizedMatrix.Random(f, m, k, 42).ToPreferredLayout();
                foreach (KernelPath p in paths)
                {
                    kernels.Add(KernelThroughput.Measure(w, p, 1, threads, 5, 0.02));
                    log(Line(kernels[^1]));
                    Step();
                }
                if (m == 4096 && k == 14336 && options.GemmColumns > 1)
                {
                    kernels.Add(KernelThroughput.Measure(w, KernelPaths.Best, options.GemmColumns, threads, 2, 0));
                    log(Line(kernels[^1]));
                    Step();
                }
            }

        log("DRAM-resident GEMV…");
        var dram = new List<DramGemvMeasurement>();
        foreach (QuantFormat f in formats)
        {
            dram.Add(DramGemv.Measure(f, threads, host.LastLevelCacheBytes));
            log(string.Create(CultureInfo.InvariantCulture, $"  {dram[^1].Format}: {dram[^1].GBps:F1} GB/s = {dram[^1].ShareOfProbe:F2} of the read probe"));
            Step();
        }

        log("hot-cache unpack throughput…");
        var hot = new List<HotUnpackThroughput>();
        foreach (QuantFormat f in formats)
            foreach (KernelPath p in paths)
            {
                hot.Add(KernelThroughput.MeasureHot(f, p, threads, host.L2Bytes));
                Step();
            }

        log("per-call cost and attention rate…");
        CallCosts calls = CallCostBench.Measure(threads);
        Step();

        log("synthetic decoder…");
        var dec = new List<DecoderResult>();
        foreach (QuantFormat f in formats)
        {
            // The DRAM rate of these seconds, probed before the first round and after each: a shared host drifts.
            var run = SyntheticDecoder.Run(new DecoderConfig(Layers: options.DecoderLayers, Format: f, ContextLength: options.DecoderContextLength,
                DecodeSteps: options.DecoderSteps, Threads: threads, Rounds: options.DecoderRounds), () => MemoryLadder.DramRead(host.LastLevelCacheBytes, threads));
            dec.Add(run);
            log(string.Create(CultureInfo.InvariantCulture, $"  decoder {dec[^1].Format}: {dec[^1].TokensPerSecond:F1} tok/s"));
            Step();
        }

        return new HostMeasurement(host, mem, peak, kernels, hot, dec, total.Elapsed.TotalSeconds, calls, dram);
    }

    static string Line(KernelMeasurement k) =>
        string.Create(CultureInfo.InvariantCulture, $"  {k.Format} {k.M}x{k.K} n={k.N}: {k.Milliseconds:F3} ms, {k.EffectiveWeightGBps:F1} GB/s");
}
