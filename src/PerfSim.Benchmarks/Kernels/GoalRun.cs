using System.Diagnostics;
using System.Globalization;
using PerfSim.Kernels;
using PerfSim.Kernels.Formats;
using MM = PerfSim.Kernels.MatMul.MatMul;

namespace PerfSim.Benchmarks.Kernels;

/// <summary>
/// `PerfSim.Benchmarks goals [runs]`: the issue-16 goal figures in one pass, min and median over samples, without
/// BenchmarkDotNet's minutes of pilot runs. Run the bandwidth probe (../shared/bench/bw.c) right before and after
/// and quote it beside these figures: the host is shared, so only ratios from the same minute mean anything.
/// </summary>
public static class GoalRun
{
    /// <summary>Bytes of distinct weights a DRAM-resident GEMV cycles over: 16× this host's 32 MiB L3.</summary>
    public const long DramWorkingSetBytes = 512L << 20;

    public static void Run(int samples, TextWriter o)
    {
        var ci = CultureInfo.InvariantCulture;
        const int threads = 2;
        var rng = new Random(1);
        float[] X(long n) { var x = new float[n]; for (long i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1); return x; }
        o.WriteLine(string.Create(ci, $"# goals: {threads} threads, best path {KernelPaths.Best}, {samples} samples; min / median"));
        foreach (var (f, m, k) in new[] { (QuantFormat.Q4_0, 4096, 14336), (QuantFormat.Q8_0, 4096, 14336), (QuantFormat.F16, 14336, 4096) })
        {
            using var w = QuantizedMatrix.Random(f, m, k, 42).ToPreferredLayout();
            var x = X(k); var y = new float[m];
            var (mn, md) = Time(() => MM.Gemv(w, x, y, KernelPath.Auto, threads), samples, 20);
            o.WriteLine(string.Create(ci, $"GEMV {w.Traits.Name} {m}x{k} ({w.Layout}): {mn * 1e3:F3} / {md * 1e3:F3} ms = {w.TotalBytes / mn / 1e9:F1} / {w.TotalBytes / md / 1e9:F1} GB/s"));
        }
        // DRAM-resident: cycle over distinct copies totalling >= 512 MiB (16x the 32 MiB L3), so no call finds its weights
        // in cache; the GB/s is what the read-bandwidth probe is compared with.
        foreach (var (f, m, k) in new[] { (QuantFormat.Q4_0, 4096, 14336), (QuantFormat.Q8_0, 4096, 14336), (QuantFormat.F16, 14336, 4096) })
        {
            long bytes = QuantFormatTraits.Of(f).RowBytes(k) * (long)m;
            int copies = (int)Math.Max(2, (DramWorkingSetBytes + bytes - 1) / bytes);
            var ws = new QuantizedMatrix[copies];
            for (int i = 0; i < copies; i++) ws[i] = QuantizedMatrix.Random(f, m, k, 42 + (ulong)i).ToPreferredLayout();
            var x = X(k); var y = new float[m];
            int next = 0;
            var (mn, md) = Time(() => { MM.Gemv(ws[next], x, y, KernelPath.Auto, threads); next = (next + 1) % copies; }, samples, copies);
            o.WriteLine(string.Create(ci, $"GEMV {ws[0].Traits.Name} {m}x{k} DRAM-resident ({copies} copies, {ws[0].Layout}): {mn * 1e3:F3} / {md * 1e3:F3} ms = {bytes / mn / 1e9:F1} / {bytes / md / 1e9:F1} GB/s"));
            foreach (var w in ws) w.Dispose();
        }
        foreach (var (rows, label) in new[] { (4096, "4096x4096 (L3-resident)"), (32, "32x4096 (per-call cost)") })
        {
            using var w = QuantizedMatrix.Random(QuantFormat.Q4_0, rows, 4096, 42).ToPreferredLayout();
            var x = X(4096); var y = new float[rows];
            var (mn, md) = Time(() => MM.Gemv(w, x, y, KernelPath.Auto, threads), samples, rows > 1000 ? 200 : 4000);
            o.WriteLine(string.Create(ci, $"GEMV q4_0 {label} in a loop: {mn * 1e6:F1} / {md * 1e6:F1} us per call"));
        }
        foreach (var f in new[] { QuantFormat.Q4_0, QuantFormat.Q8_0, QuantFormat.F16 })
        {
            const int m = 4096, k = 14336, n = 512;
            using var w = QuantizedMatrix.Random(f, m, k, 42).ToPreferredLayout();
            var x = X((long)n * k); var y = new float[(long)n * m];
            var (mn, md) = Time(() => MM.Gemm(w, x, n, y, KernelPath.Auto, threads), Math.Max(3, samples / 3), 1);
            double flops = 2.0 * m * k * n;
            o.WriteLine(string.Create(ci, $"GEMM {w.Traits.Name} n={n} ({w.Layout}): {mn * 1e3:F1} / {md * 1e3:F1} ms = {flops / mn / 1e9:F0} / {flops / md / 1e9:F0} GFLOP/s"));
        }
    }

    /// <summary>Seconds per call: min and median over samples of `inner` back-to-back calls (after two warm-up calls).</summary>
    private static (double Min, double Median) Time(Action a, int samples, int inner)
    {
        a(); a();
        var t = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < inner; i++) a();
            t[s] = Stopwatch.GetElapsedTime(t0).TotalSeconds / inner;
        }
        Array.Sort(t);
        return (t[0], t[samples / 2]);
    }
}
